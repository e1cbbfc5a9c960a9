package dev.mcpgovernance.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * Buckets in Redis through Bucket4j's Lettuce proxy manager ({@link RedisRateLimitAlgorithm#BUCKET4J}):
 * compare-and-swap, so every check is a {@code GET} of the bucket, and one that takes a call (or a
 * refund) also a Lua {@code EVAL} that writes it back if unchanged, retried on contention (two round
 * trips or more). Connection handling and failures as in {@link RedisStoreConnection}.
 */
public class Bucket4jRedisRateLimiter implements RateLimiter, AutoCloseable {

	private final RedisStoreConnection<byte[], byte[], ProxyManager<byte[]>> redis;

	private final String keyPrefix;

	public Bucket4jRedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout) {
		this.keyPrefix = keyPrefix;
		this.redis = new RedisStoreConnection<>(uri, timeout, ByteArrayCodec.INSTANCE,
				(connection) -> Bucket4jLettuce.casBasedBuilder(connection)
					.requestTimeout(timeout)
					// A full bucket is the same as no bucket: Redis forgets it once it has refilled.
					.expirationAfterWrite(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build());
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		return this.redis.call("check", (proxyManager) -> {
			ConsumptionProbe probe = proxyManager.builder()
				.build(bytes(key, limit), () -> Bandwidths.configuration(limit))
				.tryConsumeAndReturnRemaining(1);
			return probe.isConsumed() ? RateLimitDecision.allow()
					: RateLimitDecision.refuse(probe.getNanosToWaitForRefill());
		});
	}

	@Override
	public void refund(String key, RateLimit limit) {
		this.redis.call("refund", (proxyManager) -> {
			proxyManager.builder().build(bytes(key, limit), () -> Bandwidths.configuration(limit)).addTokens(1);
			return null;
		});
	}

	private byte[] bytes(String key, RateLimit limit) {
		return RedisRateLimiter.bucketKey(this.keyPrefix, key, limit).getBytes(StandardCharsets.UTF_8);
	}

	/** The Lettuce client, for tests that listen to the commands it sends. */
	RedisClient client() {
		return this.redis.client();
	}

	@Override
	public void close() {
		this.redis.close();
	}

}
