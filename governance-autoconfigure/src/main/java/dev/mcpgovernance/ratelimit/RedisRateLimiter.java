package dev.mcpgovernance.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * Buckets in Redis, shared by every replica: Bucket4j's Lettuce proxy manager (compare-and-swap
 * with a Lua script), on a connection of its own. The connection is opened on first use and
 * dropped on any failure; the next check after that opens a new one, which is how the store
 * recovers when Redis returns. Every failure, including a timeout, is a
 * {@link RateLimitStoreException}: what happens then is the caller's policy.
 */
public class RedisRateLimiter implements RateLimiter, AutoCloseable {

	private final RedisClient client;

	private final String keyPrefix;

	private final Duration timeout;

	private volatile Connected connected;

	public RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout) {
		this.keyPrefix = keyPrefix;
		this.timeout = timeout;
		this.client = RedisClient.create(uri);
		// Fail fast instead of queueing while disconnected; reconnection is ours (on the next check).
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout))
			.build());
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		Connected current = connection();
		try {
			ConsumptionProbe probe = current.proxyManager()
				.builder()
				.build(bytes(key, limit), () -> Bandwidths.configuration(limit))
				.tryConsumeAndReturnRemaining(1);
			return probe.isConsumed() ? RateLimitDecision.allow()
					: RateLimitDecision.refuse(probe.getNanosToWaitForRefill());
		}
		catch (RuntimeException ex) {
			drop(current);
			throw new RateLimitStoreException("Redis did not answer a rate-limit check", ex);
		}
	}

	@Override
	public void refund(String key, RateLimit limit) {
		Connected current = connection();
		try {
			current.proxyManager().builder().build(bytes(key, limit), () -> Bandwidths.configuration(limit)).addTokens(1);
		}
		catch (RuntimeException ex) {
			drop(current);
			throw new RateLimitStoreException("Redis did not answer a rate-limit refund", ex);
		}
	}

	private byte[] bytes(String key, RateLimit limit) {
		return (this.keyPrefix + key + "|" + limit.key()).getBytes(StandardCharsets.UTF_8);
	}

	private Connected connection() {
		Connected current = this.connected;
		if (current != null && current.connection().isOpen()) {
			return current;
		}
		synchronized (this) {
			current = this.connected;
			if (current != null && current.connection().isOpen()) {
				return current;
			}
			if (current != null) {
				current.connection().closeAsync();
			}
			try {
				StatefulRedisConnection<byte[], byte[]> connection = this.client.connect(ByteArrayCodec.INSTANCE);
				ProxyManager<byte[]> proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
					.requestTimeout(this.timeout)
					// A full bucket is the same as no bucket: Redis forgets it once it has refilled.
					.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build();
				this.connected = new Connected(connection, proxyManager);
				return this.connected;
			}
			catch (RuntimeException ex) {
				this.connected = null;
				throw new RateLimitStoreException("Cannot connect to Redis for rate limits", ex);
			}
		}
	}

	private synchronized void drop(Connected failed) {
		if (this.connected == failed) {
			this.connected = null;
			failed.connection().closeAsync();
		}
	}

	@Override
	public void close() {
		Connected current = this.connected;
		this.connected = null;
		if (current != null) {
			current.connection().close();
		}
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	private record Connected(StatefulRedisConnection<byte[], byte[]> connection, ProxyManager<byte[]> proxyManager) {
	}

}
