package dev.mcpgovernance.ratelimit;

/** How the redis store checks a bucket. */
public enum RedisRateLimitAlgorithm {

	/**
	 * One Lua script per check, one round trip ({@code EVALSHA}), or none while a lease of a busy set
	 * of buckets holds calls: GCRA on the Redis server's clock, the same greedy-refill bucket as the
	 * memory store. Needs Lettuce only.
	 */
	SCRIPT,

	/**
	 * Bucket4j's Lettuce proxy manager: compare-and-swap, a {@code GET} per check and an {@code EVAL}
	 * more when it takes a call (two round trips, more under contention), with Bucket4j's own
	 * arithmetic and the clients' clocks. Needs com.bucket4j:bucket4j_jdk17-lettuce.
	 */
	BUCKET4J

}
