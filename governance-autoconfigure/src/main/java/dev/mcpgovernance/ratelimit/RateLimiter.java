package dev.mcpgovernance.ratelimit;

import java.util.List;

/**
 * Buckets of calls, by key: takes one call from the bucket of a key, or says how long to wait. The
 * memory store keeps them in this JVM; the Redis store shares them between replicas.
 */
public interface RateLimiter {

	/** Takes one call from the bucket of {@code key}, created full with {@code limit} when new. */
	RateLimitDecision tryConsume(String key, RateLimit limit);

	/** Gives back a call taken by {@link #tryConsume}, when a later limit refused the same call. */
	void refund(String key, RateLimit limit);

	/**
	 * Takes one call from every bucket, or from none: when one refuses, the calls taken from the
	 * others are given back (the Redis store checks them all in one script and takes nothing).
	 * @return allowed, or the first bucket that refused with its decision
	 */
	default MultiDecision tryConsumeAll(List<BucketLimit> buckets) {
		for (int i = 0; i < buckets.size(); i++) {
			BucketLimit bucket = buckets.get(i);
			RateLimitDecision decision = tryConsume(bucket.key(), bucket.limit());
			if (!decision.allowed()) {
				for (BucketLimit taken : buckets.subList(0, i)) {
					refund(taken.key(), taken.limit());
				}
				return new MultiDecision(i, decision);
			}
		}
		return MultiDecision.ALLOWED;
	}

	/**
	 * Takes one call from {@code first}; only when it allows, also one call from every bucket of
	 * {@code then}, or from none of them ({@link #tryConsumeAll}). A caller's per-request limit and
	 * the buckets of the tool call the request carries: the Redis store checks both in one round trip.
	 * @return {@code first}'s decision, and when it allowed, the decision on {@code then}
	 */
	default ChainedDecision tryConsumeFirstThenAll(BucketLimit first, List<BucketLimit> then) {
		RateLimitDecision decision = tryConsume(first.key(), first.limit());
		return decision.allowed() ? new ChainedDecision(decision, tryConsumeAll(then))
				: new ChainedDecision(decision, null);
	}

	/** Gives back one call to every bucket, each taken by a check that a later step refused. */
	default void refundAll(List<BucketLimit> buckets) {
		for (BucketLimit bucket : buckets) {
			refund(bucket.key(), bucket.limit());
		}
	}

	/** One bucket of a {@link #tryConsumeAll} check. */
	record BucketLimit(String key, RateLimit limit) {
	}

	/**
	 * The answer to a {@link #tryConsumeAll} check.
	 * @param refused the index of the bucket that refused, -1 when every one allowed the call
	 * @param decision that bucket's decision, or allowed
	 */
	record MultiDecision(int refused, RateLimitDecision decision) {

		static final MultiDecision ALLOWED = new MultiDecision(-1, RateLimitDecision.allow());

		public boolean allowed() {
			return this.refused < 0;
		}

	}

	/**
	 * The answer to a {@link #tryConsumeFirstThenAll} check.
	 * @param first the first bucket's decision
	 * @param then the decision on the other buckets; {@code null} when the first refused (then
	 * nothing was taken from them)
	 */
	record ChainedDecision(RateLimitDecision first, MultiDecision then) {

		public ChainedDecision {
			if (first.allowed() != (then != null)) {
				throw new IllegalArgumentException("the other buckets are checked exactly when the first allowed");
			}
		}

	}

}
