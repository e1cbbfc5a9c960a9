package dev.mcpgovernance.ratelimit;

import java.util.concurrent.TimeUnit;

/**
 * The answer to one check: allowed, or refused with the whole seconds to wait before a call can
 * succeed (what {@code Retry-After} and {@code retry_after_s} say).
 */
public record RateLimitDecision(boolean allowed, long retryAfterSeconds) {

	private static final RateLimitDecision ALLOWED = new RateLimitDecision(true, 0);

	public static RateLimitDecision allow() {
		return ALLOWED;
	}

	/** Refused; the wait is rounded up to whole seconds and is at least one. */
	public static RateLimitDecision refuse(long nanosToWait) {
		long seconds = Math.max(1, (nanosToWait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
		return new RateLimitDecision(false, seconds);
	}

}
