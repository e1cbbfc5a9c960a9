package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;

/**
 * The Redis store's own Lettuce connection, shared by both algorithms. A call never waits longer
 * than {@code timeout} in all, whatever Redis does (refuses, resets, accepts connections and never
 * answers as a stopped process does, or answers too slowly): the connection, when one must be opened
 * first, and the commands share one deadline, and the call waits for their futures only until then.
 * Lettuce's own timeouts (TCP connect, handshake, each command) are set to the same value, so that
 * what the call gave up on also ends inside Lettuce. No queueing while disconnected and no automatic
 * reconnection: the connection is opened on first use (or before, by {@link #connectInBackground()}),
 * dropped on any failure, and the next use opens a new one, which is how the store recovers when
 * Redis returns. Concurrent calls that find no
 * connection share one attempt to open it, each waiting only until its own deadline, so nobody waits
 * behind another caller's attempt. Every failure, a timeout included, is a
 * {@link RateLimitStoreException}: what happens then is the caller's policy.
 *
 * @param <K> the key type of the connection's codec
 * @param <V> the value type of the connection's codec
 * @param <T> what the limiter works with on an open connection (its commands or a proxy manager)
 */
final class RedisStoreConnection<K, V, T> implements AutoCloseable {

	private final RedisClient client;

	private final RedisURI uri;

	private final RedisCodec<K, V> codec;

	private final long timeoutNanos;

	private final Function<StatefulRedisConnection<K, V>, T> opened;

	/** The open connection, or the one attempt to open it; {@code null} when there is neither. */
	private final AtomicReference<CompletableFuture<Connected<K, V, T>>> connection = new AtomicReference<>();

	RedisStoreConnection(RedisURI uri, Duration timeout, RedisCodec<K, V> codec,
			Function<StatefulRedisConnection<K, V>, T> opened) {
		this.codec = codec;
		this.opened = opened;
		this.timeoutNanos = timeout.toNanos();
		// The URI's timeout bounds Lettuce's handshake (HELLO/AUTH/SELECT), which a stopped Redis never answers.
		this.uri = RedisURI.builder(uri).withTimeout(timeout).build();
		this.client = RedisClient.create(this.uri);
		// Fail fast instead of queueing while disconnected; reconnection is ours (on the next use).
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout))
			.build());
	}

	/**
	 * Starts opening the connection without waiting for it, so that the first checks after start-up
	 * do not spend their timeout on Netty's start-up; if it fails, the first check opens one again.
	 * On a thread of its own: Lettuce does a good part of opening on the calling thread before
	 * anything is asynchronous (the host's address lookup, Netty's channel, the connection's command
	 * proxies), which would otherwise hold up the application's start.
	 */
	void connectInBackground() {
		Thread connecting = new Thread(() -> {
			try {
				connection();
			}
			catch (RuntimeException ex) {
				// Not opened now: the first check opens one, and fails by the store's policy if it cannot.
			}
		}, "mcp-governance-redis-connect");
		connecting.setDaemon(true);
		connecting.start();
	}

	/**
	 * Runs {@code command} on the open connection (opening one first if there is none) and waits for
	 * its answer until the call's deadline, {@code timeout} after it started.
	 * @param what what the command does, for the exception's message ("check", "refund")
	 * @param command sends the command(s) and returns the answer's future; it must not block
	 * @throws RateLimitStoreException when Redis cannot be reached or does not answer in time
	 */
	<R> R call(String what, Function<T, ? extends CompletionStage<R>> command) {
		long deadline = System.nanoTime() + this.timeoutNanos;
		CompletableFuture<Connected<K, V, T>> current = connection();
		Connected<K, V, T> connected = await(current, deadline, current, "Cannot connect to Redis for rate limits");
		CompletableFuture<R> answer;
		try {
			answer = command.apply(connected.target()).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			drop(current);
			throw new RateLimitStoreException("Redis did not answer a rate-limit " + what, ex);
		}
		return await(answer, deadline, current, "Redis did not answer a rate-limit " + what);
	}

	/** The Lettuce client, for tests that listen to the commands it sends. */
	RedisClient client() {
		return this.client;
	}

	/**
	 * Waits for {@code future} until {@code deadline}; on any failure or at the deadline drops the
	 * connection {@code used} (a later call opens a new one) and throws.
	 */
	private <R> R await(CompletableFuture<R> future, long deadline, CompletableFuture<Connected<K, V, T>> used,
			String failure) {
		try {
			return future.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			// Not the shared connection attempt: other callers may still be waiting for it within their own deadlines.
			if (future != used) {
				future.cancel(true);
			}
			drop(used);
			throw new RateLimitStoreException(failure + " within " + Duration.ofNanos(this.timeoutNanos).toMillis()
					+ " ms", ex);
		}
		catch (ExecutionException ex) {
			drop(used);
			throw new RateLimitStoreException(failure, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RateLimitStoreException(failure + " (interrupted)", ex);
		}
	}

	/** The open connection, the attempt in progress, or a new attempt when there is neither. */
	private CompletableFuture<Connected<K, V, T>> connection() {
		while (true) {
			CompletableFuture<Connected<K, V, T>> current = this.connection.get();
			if (current != null && usable(current)) {
				return current;
			}
			CompletableFuture<Connected<K, V, T>> attempt = new CompletableFuture<>();
			if (this.connection.compareAndSet(current, attempt)) {
				if (current != null) {
					close(current);
				}
				open(attempt);
				return attempt;
			}
		}
	}

	/** Still being opened (callers share the attempt), or open. */
	private static boolean usable(CompletableFuture<? extends Connected<?, ?, ?>> connection) {
		if (!connection.isDone()) {
			return true;
		}
		return !connection.isCompletedExceptionally() && connection.join().connection().isOpen();
	}

	private void open(CompletableFuture<Connected<K, V, T>> attempt) {
		// The attempt fails at the timeout even if Lettuce's own timeouts did not end it, so it is never waited on for ever.
		attempt.orTimeout(this.timeoutNanos, TimeUnit.NANOSECONDS);
		this.client.connectAsync(this.codec, this.uri).whenComplete((opened, failure) -> {
			if (failure != null) {
				attempt.completeExceptionally(failure);
				return;
			}
			try {
				if (!attempt.complete(new Connected<>(opened, this.opened.apply(opened)))) {
					// Opened after the attempt had timed out: nobody uses it.
					opened.closeAsync();
				}
			}
			catch (RuntimeException ex) {
				opened.closeAsync();
				attempt.completeExceptionally(ex);
			}
		});
	}

	private void drop(CompletableFuture<Connected<K, V, T>> failed) {
		if (this.connection.compareAndSet(failed, null)) {
			close(failed);
		}
	}

	private static void close(CompletableFuture<? extends Connected<?, ?, ?>> connection) {
		connection.thenAccept((connected) -> connected.connection().closeAsync());
	}

	@Override
	public void close() {
		CompletableFuture<Connected<K, V, T>> current = this.connection.getAndSet(null);
		if (current != null) {
			close(current);
		}
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	private record Connected<K, V, T>(StatefulRedisConnection<K, V> connection, T target) {
	}

}
