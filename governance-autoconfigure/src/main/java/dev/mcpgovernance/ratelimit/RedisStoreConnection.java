package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;

/**
 * The Redis store's own Lettuce connection, shared by both algorithms. It fails fast: no queueing
 * while disconnected, {@code timeout} for connecting and for every command, and no automatic
 * reconnection. It is opened on first use and dropped on any failure; the next use opens a new one,
 * which is how the store recovers when Redis returns. Every failure, a timeout included, is a
 * {@link RateLimitStoreException}: what happens then is the caller's policy.
 *
 * @param <K> the key type of the connection's codec
 * @param <V> the value type of the connection's codec
 * @param <T> what the limiter works with on an open connection (its commands or a proxy manager)
 */
final class RedisStoreConnection<K, V, T> implements AutoCloseable {

	private final RedisClient client;

	private final RedisCodec<K, V> codec;

	private final Function<StatefulRedisConnection<K, V>, T> opened;

	private volatile Connected<K, V, T> connected;

	RedisStoreConnection(RedisURI uri, Duration timeout, RedisCodec<K, V> codec,
			Function<StatefulRedisConnection<K, V>, T> opened) {
		this.codec = codec;
		this.opened = opened;
		this.client = RedisClient.create(uri);
		// Fail fast instead of queueing while disconnected; reconnection is ours (on the next use).
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout))
			.build());
	}

	/**
	 * Runs {@code command} on the open connection (opening one first if there is none).
	 * @param what what the command does, for the exception's message ("check", "refund")
	 * @throws RateLimitStoreException when Redis cannot be reached or does not answer in time
	 */
	<R> R call(String what, Function<T, R> command) {
		Connected<K, V, T> current = connection();
		try {
			return command.apply(current.target());
		}
		catch (RuntimeException ex) {
			drop(current);
			throw new RateLimitStoreException("Redis did not answer a rate-limit " + what, ex);
		}
	}

	/** The Lettuce client, for tests that listen to the commands it sends. */
	RedisClient client() {
		return this.client;
	}

	private Connected<K, V, T> connection() {
		Connected<K, V, T> current = this.connected;
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
				StatefulRedisConnection<K, V> connection = this.client.connect(this.codec);
				this.connected = new Connected<>(connection, this.opened.apply(connection));
				return this.connected;
			}
			catch (RuntimeException ex) {
				this.connected = null;
				throw new RateLimitStoreException("Cannot connect to Redis for rate limits", ex);
			}
		}
	}

	private synchronized void drop(Connected<K, V, T> failed) {
		if (this.connected == failed) {
			this.connected = null;
			failed.connection().closeAsync();
		}
	}

	@Override
	public void close() {
		Connected<K, V, T> current = this.connected;
		this.connected = null;
		if (current != null) {
			current.connection().close();
		}
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	private record Connected<K, V, T>(StatefulRedisConnection<K, V> connection, T target) {
	}

}
