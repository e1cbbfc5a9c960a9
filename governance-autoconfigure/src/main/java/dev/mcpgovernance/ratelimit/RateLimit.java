package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of calls per period, written {@code 10/min}, {@code 10000/day}, {@code 5/s} or
 * {@code 100/h}. Configuration properties of this type are bound from that text; a malformed one
 * stops start-up with the property's name.
 *
 * @param capacity the calls allowed per period, at least 1
 * @param period the period, positive
 */
public record RateLimit(long capacity, Duration period) {

	private static final Pattern TEXT = Pattern.compile("\\s*(\\d{1,12})\\s*/\\s*([a-z]+)\\s*");

	private static final Map<String, Duration> UNITS = Map.of("s", Duration.ofSeconds(1), "sec",
			Duration.ofSeconds(1), "second", Duration.ofSeconds(1), "m", Duration.ofMinutes(1), "min",
			Duration.ofMinutes(1), "minute", Duration.ofMinutes(1), "h", Duration.ofHours(1), "hour",
			Duration.ofHours(1), "d", Duration.ofDays(1), "day", Duration.ofDays(1));

	public RateLimit {
		if (capacity < 1) {
			throw new IllegalArgumentException("a rate limit allows at least 1 call per period");
		}
		if (period == null || period.isZero() || period.isNegative()) {
			throw new IllegalArgumentException("a rate limit needs a positive period");
		}
	}

	public static RateLimit perMinute(long capacity) {
		return new RateLimit(capacity, Duration.ofMinutes(1));
	}

	/**
	 * Parses {@code <calls>/<unit>}, unit one of s, sec, second, m, min, minute, h, hour, d, day.
	 * Named {@code valueOf} so that Spring's conversion service binds properties of this type.
	 * @throws IllegalArgumentException naming the text and the expected form
	 */
	public static RateLimit valueOf(String text) {
		Matcher matcher = (text != null) ? TEXT.matcher(text.toLowerCase(Locale.ROOT)) : null;
		Duration period = (matcher != null && matcher.matches()) ? UNITS.get(matcher.group(2)) : null;
		if (period == null || Long.parseLong(matcher.group(1)) < 1) {
			throw new IllegalArgumentException("'" + text
					+ "' is not a rate limit; write <calls>/<unit> with calls >= 1 and unit s, min, h or day, e.g. 10/min");
		}
		return new RateLimit(Long.parseLong(matcher.group(1)), period);
	}

	/** A stable text for bucket keys: a changed limit gets a bucket of its own. */
	String key() {
		return this.capacity + "/" + this.period.toSeconds() + "s";
	}

	@Override
	public String toString() {
		return this.capacity + "/" + this.period;
	}

}
