package dev.mcpgovernance.redaction;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sensitive values found inside strings, whatever key they sit under. Each match that the check
 * accepts is replaced with {@code [REDACTED:<name>]}.
 *
 * @param name what the value is, shown in the replacement (e.g. {@code email})
 * @param pattern where such values are
 * @param check a second look at a match (e.g. the Luhn check of a card number); only accepted matches are replaced
 */
public record ValuePattern(String name, Pattern pattern, Predicate<String> check) {

	/** A pattern whose every non-empty match is sensitive. */
	public static ValuePattern of(String name, Pattern pattern) {
		return new ValuePattern(name, pattern, (match) -> true);
	}

	/** The text placed where a value was. */
	public String replacement() {
		return "[REDACTED:" + this.name + "]";
	}

	/** The text with every accepted match replaced; the very same string when nothing matched. */
	public String redact(String text) {
		Matcher matcher = this.pattern.matcher(text);
		StringBuilder redacted = null;
		int copiedUpTo = 0;
		while (matcher.find()) {
			String match = matcher.group();
			if (match.isEmpty() || !this.check.test(match)) {
				continue;
			}
			if (redacted == null) {
				redacted = new StringBuilder(text.length());
			}
			redacted.append(text, copiedUpTo, matcher.start()).append(replacement());
			copiedUpTo = matcher.end();
		}
		if (redacted == null) {
			return text;
		}
		return redacted.append(text, copiedUpTo, text.length()).toString();
	}

}
