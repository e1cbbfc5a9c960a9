package dev.mcpgovernance.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * Buckets in Redis through Bucket4j's Lettuce proxy manager ({@link RedisRateLimitAlgorithm#BUCKET4J}):
 * compare-and-swap, so every check is a {@code GET} of the bucket, and one that takes a call (or a
 * refund) also a Lua {@code EVAL} that writes it back if unchanged, retried on contention (two round
 * trips or more), through Bucket4j's asynchronous API so that the whole exchange ends at the call's
 * deadline. Connection handling and failures as in {@link RedisStoreConnection}.
 */
public class Bucket4jRedisRateLimiter implements RateLimiter, AutoCloseable {

	private final RedisStoreConnection<byte[], byte[], AsyncProxyManager<byte[]>> redis;

	private final String keyPrefix;

	public Bucket4jRedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout) {
		this.keyPrefix = keyPrefix;
		this.redis = new RedisStoreConnection<>(uri, timeout, ByteArrayCodec.INSTANCE,
				(connection) -> Bucket4jLettuce.casBasedBuilder(connection)
					.requestTimeout(timeout)
					// A full bucket is the same as no bucket: Redis forgets it once it has refilled.
					.expirationAfterWrite(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build()
					.asAsync());
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		return this.redis.call("check", (proxyManager) -> bucket(proxyManager, key, limit).tryConsumeAndReturnRemaining(1)
			.thenApply((probe) -> probe.isConsumed() ? RateLimitDecision.allow()
					: RateLimitDecision.refuse(probe.getNanosToWaitForRefill())));
	}

	@Override
	public void refund(String key, RateLimit limit) {
		this.redis.call("refund", (proxyManager) -> bucket(proxyManager, key, limit).addTokens(1));
	}

	private AsyncBucketProxy bucket(AsyncProxyManager<byte[]> proxyManager, String key, RateLimit limit) {
		return proxyManager.builder()
			.build(bytes(key, limit), () -> CompletableFuture.completedFuture(Bandwidths.configuration(limit)));
	}

	private byte[] bytes(String key, RateLimit limit) {
		return RedisRateLimiter.bucketKey(this.keyPrefix, key, limit).getBytes(StandardCharsets.UTF_8);
	}

	/** Starts opening the connection now rather than on the first check. */
	void connectInBackground() {
		this.redis.connectInBackground();
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
