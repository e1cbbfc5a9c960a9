package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.RedisProcess;
import dev.mcpgovernance.TcpProxy;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis store never holds a check longer than its timeout, whatever Redis does, then applies
 * the failure policy, and recovers by itself. Each test runs a {@code redis-server} of its own (never
 * the machine's shared one) that it stops with {@code SIGSTOP}, kills, makes busy, or puts behind a
 * proxy that resets or swallows connections, with 16 checks at once as request threads would send
 * them. The bound asserted is the timeout plus {@link #MARGIN}: what a check adds to its wait for
 * Redis is thread scheduling, and this machine is shared by concurrent builds.
 */
class RedisStoreTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final Duration RETRY_INTERVAL = Duration.ofMillis(300);

	private static final Duration MARGIN = Duration.ofMillis(250);

	private static final long BOUND_MILLIS = TIMEOUT.plus(MARGIN).toMillis();

	private static final int CONCURRENT = 16;

	private static final RateLimit LIMIT = RateLimit.valueOf("1000/day");

	/**
	 * The scenario: Redis stopped under concurrent checks, then the first checks after the
	 * retry interval (which used to wait one after another behind a connection attempt that Lettuce's
	 * 60-second handshake timeout bounded), then recovery after {@code SIGCONT}.
	 */
	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void stoppedRedisHoldsNoCheckLongerThanTheTimeoutAndTheLocalPolicyAnswers(RedisRateLimitAlgorithm algorithm)
			throws Exception {
		try (RedisProcess redis = RedisProcess.startOnFreePort();
				FailoverRateLimiter limiter = failover(algorithm, redis.port(), OnStoreFailure.LOCAL)) {
			Round warm = warm(limiter);
			assertThat(warm.allowed()).isEqualTo(CONCURRENT);
			assertThat(limiter.isStoreUnavailable()).isFalse();

			redis.pause();
			// The connection is open: the checks in flight time out on it.
			Round stopped = round(limiter);
			report(algorithm, "SIGSTOP, open connection", stopped);
			assertThat(stopped.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
			assertThat(stopped.allowed()).as("the local policy answers").isEqualTo(CONCURRENT);
			assertThat(limiter.isStoreUnavailable()).isTrue();

			for (int retry = 1; retry <= 3; retry++) {
				Thread.sleep(RETRY_INTERVAL.toMillis() + 50);
				// The retry interval is over: a new connection is tried, which the stopped Redis accepts and never answers.
				Round retried = round(limiter);
				report(algorithm, "SIGSTOP, after retry interval " + retry, retried);
				assertThat(retried.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
				assertThat(retried.allowed()).isEqualTo(CONCURRENT);
				assertThat(limiter.isStoreUnavailable()).isTrue();
			}

			redis.resume();
			long recovery = awaitRecovery(limiter);
			report(algorithm, "SIGCONT, recovered after " + recovery + " ms", round(limiter));
			long failures = limiter.storeFailures();
			Round recovered = round(limiter);
			assertThat(recovered.allowed()).isEqualTo(CONCURRENT);
			assertThat(limiter.storeFailures()).as("checks go to Redis again").isEqualTo(failures);
			assertThat(limiter.isStoreUnavailable()).isFalse();
		}
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void stoppedRedisUnderTheDenyPolicyRefusesWithinTheTimeout(RedisRateLimitAlgorithm algorithm) throws Exception {
		try (RedisProcess redis = RedisProcess.startOnFreePort();
				FailoverRateLimiter limiter = failover(algorithm, redis.port(), OnStoreFailure.DENY)) {
			assertThat(warm(limiter).allowed()).isEqualTo(CONCURRENT);

			redis.pause();
			for (int retry = 0; retry <= 2; retry++) {
				Round stopped = round(limiter);
				report(algorithm, "SIGSTOP deny, round " + retry, stopped);
				assertThat(stopped.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
				assertThat(stopped.allowed()).as("the deny policy refuses").isZero();
				Thread.sleep(RETRY_INTERVAL.toMillis() + 50);
			}

			redis.resume();
			awaitRecovery(limiter);
			assertThat(round(limiter).allowed()).isEqualTo(CONCURRENT);
		}
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void killedRedisFailsFastAndARestartedOneIsUsedAgain(RedisRateLimitAlgorithm algorithm) throws Exception {
		try (RedisProcess redis = RedisProcess.startOnFreePort();
				FailoverRateLimiter limiter = failover(algorithm, redis.port(), OnStoreFailure.LOCAL)) {
			assertThat(warm(limiter).allowed()).isEqualTo(CONCURRENT);

			redis.kill();
			for (int retry = 0; retry <= 2; retry++) {
				Round down = round(limiter);
				report(algorithm, "killed, round " + retry, down);
				assertThat(down.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
				assertThat(down.allowed()).isEqualTo(CONCURRENT);
				assertThat(limiter.isStoreUnavailable()).isTrue();
				Thread.sleep(RETRY_INTERVAL.toMillis() + 50);
			}

			redis.restart();
			awaitRecovery(limiter);
			assertThat(round(limiter).allowed()).isEqualTo(CONCURRENT);
		}
	}

	/** Busy for 2 s ({@code DEBUG SLEEP}), four times the timeout: slow, then answering again. */
	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void slowRedisHoldsNoCheckLongerThanTheTimeout(RedisRateLimitAlgorithm algorithm) throws Exception {
		try (RedisProcess redis = RedisProcess.startOnFreePort();
				FailoverRateLimiter limiter = failover(algorithm, redis.port(), OnStoreFailure.LOCAL)) {
			assertThat(warm(limiter).allowed()).isEqualTo(CONCURRENT);

			redis.sleep(2);
			Thread.sleep(100);
			long started = System.nanoTime();
			while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(1500)) {
				Round slow = round(limiter);
				assertThat(slow.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
				assertThat(slow.allowed()).isEqualTo(CONCURRENT);
			}
			assertThat(limiter.storeFailures()).isPositive();

			awaitRecovery(limiter);
			assertThat(round(limiter).allowed()).isEqualTo(CONCURRENT);
		}
	}

	/** A proxy that resets every connection, then one that accepts and never answers. */
	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void droppedAndSwallowedConnectionsHoldNoCheckLongerThanTheTimeout(RedisRateLimitAlgorithm algorithm)
			throws Exception {
		try (RedisProcess redis = RedisProcess.startOnFreePort(); TcpProxy proxy = new TcpProxy(redis.port());
				FailoverRateLimiter limiter = failover(algorithm, proxy.port(), OnStoreFailure.LOCAL)) {
			assertThat(warm(limiter).allowed()).isEqualTo(CONCURRENT);

			proxy.cut();
			for (int retry = 0; retry <= 2; retry++) {
				Round reset = round(limiter);
				report(algorithm, "connections reset, round " + retry, reset);
				assertThat(reset.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
				assertThat(reset.allowed()).isEqualTo(CONCURRENT);
				Thread.sleep(RETRY_INTERVAL.toMillis() + 50);
			}
			proxy.restore();
			awaitRecovery(limiter);

			proxy.silence();
			for (int retry = 0; retry <= 2; retry++) {
				Round swallowed = round(limiter);
				report(algorithm, "connections swallowed, round " + retry, swallowed);
				assertThat(swallowed.longestMillis()).isLessThanOrEqualTo(BOUND_MILLIS);
				assertThat(swallowed.allowed()).isEqualTo(CONCURRENT);
				Thread.sleep(RETRY_INTERVAL.toMillis() + 50);
			}
			proxy.restore();
			awaitRecovery(limiter);
			assertThat(round(limiter).allowed()).isEqualTo(CONCURRENT);
		}
	}

	private static FailoverRateLimiter failover(RedisRateLimitAlgorithm algorithm, int port, OnStoreFailure policy) {
		RedisURI uri = RedisURI.create("127.0.0.1", port);
		String prefix = "mcpg-test:" + UUID.randomUUID() + ":";
		RateLimiter shared = (algorithm == RedisRateLimitAlgorithm.SCRIPT) ? new RedisRateLimiter(uri, prefix, TIMEOUT)
				: new Bucket4jRedisRateLimiter(uri, prefix, TIMEOUT);
		return new FailoverRateLimiter(shared, new LocalRateLimiter(10_000), policy, RETRY_INTERVAL);
	}

	/**
	 * A first round once a check has reached Redis: the first connection of a cold JVM (Netty's
	 * start-up) may take longer than the timeout, and then that check follows the policy.
	 */
	private static Round warm(FailoverRateLimiter limiter) throws Exception {
		limiter.tryConsume("warm-up-" + UUID.randomUUID(), LIMIT);
		awaitRecovery(limiter);
		return round(limiter);
	}

	/** {@value #CONCURRENT} checks released at once, each of a key of its own. */
	private static Round round(RateLimiter limiter) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<long[]>> results = new ArrayList<>();
			for (int i = 0; i < CONCURRENT; i++) {
				results.add(pool.submit(() -> {
					start.await();
					long began = System.nanoTime();
					boolean allowed = limiter.tryConsume("k-" + UUID.randomUUID(), LIMIT).allowed();
					return new long[] { (System.nanoTime() - began) / 1_000_000, allowed ? 1 : 0 };
				}));
			}
			start.countDown();
			long longest = 0;
			int allowed = 0;
			for (Future<long[]> result : results) {
				// Far beyond the bound, so that a hang fails the assertion rather than the test run.
				long[] check = result.get(90, TimeUnit.SECONDS);
				longest = Math.max(longest, check[0]);
				allowed += (int) check[1];
			}
			return new Round(longest, allowed);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Checks until one reaches Redis again; how long that took, in ms. */
	private static long awaitRecovery(FailoverRateLimiter limiter) throws Exception {
		long started = System.nanoTime();
		long deadline = started + TimeUnit.SECONDS.toNanos(30);
		while (limiter.isStoreUnavailable() && System.nanoTime() < deadline) {
			Thread.sleep(50);
			limiter.tryConsume("probe-" + UUID.randomUUID(), LIMIT);
		}
		assertThat(limiter.isStoreUnavailable()).as("store recovered").isFalse();
		return (System.nanoTime() - started) / 1_000_000;
	}

	private static void report(RedisRateLimitAlgorithm algorithm, String what, Round round) {
		System.out.println("[redis-timeout] " + algorithm + " " + what + ": longest check " + round.longestMillis()
				+ " ms, allowed " + round.allowed() + "/" + CONCURRENT);
	}

	record Round(long longestMillis, int allowed) {
	}

}
