package dev.mcpgovernance.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Buckets in this JVM, at most {@code maxBuckets} of them. A bucket is forgotten one period after
 * its last use, when it would be full again anyway, so that forgetting it changes nothing; past
 * {@code maxBuckets} the least recently used are forgotten early, which bounds the heap whatever
 * the number of callers.
 */
public class LocalRateLimiter implements RateLimiter {

	private final Cache<BucketKey, Entry> buckets;

	private final long maxBuckets;

	public LocalRateLimiter(long maxBuckets) {
		this.maxBuckets = maxBuckets;
		// Maintenance on the calling thread: handed to the common pool, it woke a pool thread every few calls (issue 23).
		this.buckets = Caffeine.newBuilder()
			.executor(Runnable::run)
			.maximumSize(maxBuckets)
			.expireAfter(Expiry.accessing((BucketKey key, Entry entry) -> entry.idleLifetime()))
			.build();
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		ConsumptionProbe probe = bucket(key, limit).tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? RateLimitDecision.allow() : RateLimitDecision.refuse(probe.getNanosToWaitForRefill());
	}

	@Override
	public void refund(String key, RateLimit limit) {
		Entry entry = this.buckets.getIfPresent(new BucketKey(key, limit));
		if (entry != null) {
			entry.bucket().addTokens(1);
		}
	}

	/** How many buckets are held now (after pending evictions ran). */
	public long bucketCount() {
		this.buckets.cleanUp();
		return this.buckets.estimatedSize();
	}

	/** The most buckets held at once. */
	public long maxBuckets() {
		return this.maxBuckets;
	}

	/** Forgets every bucket: after the shared store returns, stale local ones must not linger. */
	public void clear() {
		this.buckets.invalidateAll();
	}

	private Bucket bucket(String key, RateLimit limit) {
		return this.buckets
			.get(new BucketKey(key, limit),
					(ignored) -> new Entry(Bucket.builder().addLimit(Bandwidths.bandwidth(limit)).build(), limit.period()))
			.bucket();
	}

	/** A key and its limit: a changed limit gets a bucket of its own. A record, so no text is built per check. */
	private record BucketKey(String key, RateLimit limit) {
	}

	private record Entry(Bucket bucket, Duration idleLifetime) {
	}

}
