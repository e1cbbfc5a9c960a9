package dev.mcpgovernance.ratelimit;

/**
 * Buckets of calls, by key: takes one call from the bucket of a key, or says how long to wait. The
 * memory store keeps them in this JVM; the Redis store shares them between replicas.
 */
public interface RateLimiter {

	/** Takes one call from the bucket of {@code key}, created full with {@code limit} when new. */
	RateLimitDecision tryConsume(String key, RateLimit limit);

	/** Gives back a call taken by {@link #tryConsume}, when a later limit refused the same call. */
	void refund(String key, RateLimit limit);

}
