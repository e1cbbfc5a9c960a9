package dev.mcpgovernance.ratelimit;

import dev.mcpgovernance.identity.CallerIdentity;

/**
 * Requests per minute per caller: the rpm of the caller's API key, or the server default. The rpm
 * comes from the key store or the server's configuration, never from anything the caller sent.
 */
public class CallerRateLimits {

	private final RateLimiter limiter;

	private final int defaultRpm;

	public CallerRateLimits(RateLimiter limiter, int defaultRpm) {
		this.limiter = limiter;
		this.defaultRpm = defaultRpm;
	}

	/** Counts one request of {@code caller}. */
	public RateLimitDecision check(CallerIdentity caller) {
		Integer keyRpm = caller.rateLimitRpm();
		int rpm = (keyRpm != null && keyRpm > 0) ? keyRpm : this.defaultRpm;
		return this.limiter.tryConsume("rpm:" + caller.keyId(), RateLimit.perMinute(rpm));
	}

}
