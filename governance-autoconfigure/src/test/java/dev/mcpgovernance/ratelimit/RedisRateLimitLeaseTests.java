package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.RedisProcess;
import dev.mcpgovernance.ratelimit.RateLimiter.BucketLimit;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Leases of the script store against the real Redis on 127.0.0.1:6379, each test under a key prefix
 * of its own: a lease never takes a bucket's last half, a busy replica reaches Redis for a fraction
 * of its checks, replicas together never allow more calls than the buckets hold, and every call a
 * lease did not use goes back to its buckets.
 */
class RedisRateLimitLeaseTests {

	private static final RedisURI REDIS = RedisUnderTest.URI;

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final RedisUnderTest redisUnderTest = new RedisUnderTest("mcpg-lease-test");

	private final String prefix = this.redisUnderTest.prefix();

	private RedisCommands<String, String> redis() {
		return this.redisUnderTest.commands();
	}

	@Test
	void aLeaseIsGrantedOnlyWhileEveryBucketStaysHalfFullAndTheBucketsStillHoldExactlyTheirCapacity() {
		RateLimit hundred = RateLimit.valueOf("100/day");
		RateLimit thousand = RateLimit.valueOf("1000/day");
		String[] keys = { key("a", hundred), key("b", thousand) };
		List<Long> granted = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			granted.add(script("consume", 16, keys, hundred, thousand).get(1));
		}
		// 100 calls: 16, 16, 16 leave 52; a fourth 16 would leave 36, under half: one call each.
		assertThat(granted).containsExactly(16L, 16L, 16L, 1L, 1L);
		int single = 0;
		while (script("consume", 1, keys, hundred, thousand).get(0) == 1) {
			single++;
		}
		assertThat(50 + single).isEqualTo(100);
		// A refusal says which bucket refused, lease asked for or not.
		assertThat(script("consume", 16, keys, hundred, thousand)).startsWith(0L).endsWith(1L);
	}

	@Test
	void aRefundGivesBackManyCallsAtOnceNeverBeyondFull() {
		RateLimit hundred = RateLimit.valueOf("100/day");
		String[] keys = { key("refund", hundred) };
		assertThat(script("consume", 16, keys, hundred).get(1)).isEqualTo(16L);
		assertThat(script("consume", 16, keys, hundred).get(1)).isEqualTo(16L);
		script("refund", 10, keys, hundred);
		// 32 taken, 10 given back: 78 left.
		assertThat(drain(keys, hundred)).isEqualTo(78);
		script("refund", 1000, keys, hundred);
		assertThat(redis().exists(keys[0])).as("a full bucket is forgotten").isZero();
		assertThat(drain(keys, hundred)).isEqualTo(100);
	}

	@Test
	void aBusyReplicaReachesRedisForAFractionOfItsChecksAndTakesExactlyItsCalls() throws Exception {
		RateLimit rpm = RateLimit.valueOf("4000/day");
		List<BucketLimit> tool = List.of(new BucketLimit("tool", RateLimit.valueOf("4000/day")),
				new BucketLimit("budget", RateLimit.valueOf("8000/day")));
		List<String> sent = new CopyOnWriteArrayList<>();
		try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT, 16, Duration.ofSeconds(10))) {
			limiter.client().addListener(new Commands(sent));
			// The first use connects (and Lettuce's handshake is a command too): not counted.
			limiter.tryConsume("warm-up", RateLimit.valueOf("1/day"));
			sent.clear();
			for (int call = 0; call < 1000; call++) {
				RateLimiter.ChainedDecision decision = limiter.tryConsumeFirstThenAll(new BucketLimit("rpm", rpm), tool);
				assertThat(decision.first().allowed()).isTrue();
				assertThat(decision.then().allowed()).isTrue();
			}
			// 1, 1, 2, 4, 8, then 16 calls a round trip.
			assertThat(sent).containsOnly("EVALSHA").hasSizeBetween(60, 70);
			assertThat(limiter.leases().held(buckets(rpm, tool))).isBetween(0, 15);
		}
		// Closed: what the lease held went back, so every bucket lost exactly the 1000 calls made.
		assertThat(callsTaken(key("rpm", rpm), rpm)).isEqualTo(1000);
		assertThat(callsTaken(key("tool", tool.get(0).limit()), tool.get(0).limit())).isEqualTo(1000);
		assertThat(callsTaken(key("budget", tool.get(1).limit()), tool.get(1).limit())).isEqualTo(1000);
	}

	@Test
	void metricsSayHowManyChecksLeasesAnsweredAndHowManyCallsTheyHold() throws Exception {
		RateLimit limit = RateLimit.valueOf("4000/day");
		List<String> sent = new CopyOnWriteArrayList<>();
		RedisRateLimiter redis = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT, 16, Duration.ofSeconds(10));
		try (FailoverRateLimiter limiter = new FailoverRateLimiter(redis, new LocalRateLimiter(100),
				OnStoreFailure.LOCAL, Duration.ofSeconds(5))) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new RateLimitStoreMetrics(limiter).bindTo(registry);
			redis.client().addListener(new Commands(sent));
			for (int call = 0; call < 40; call++) {
				assertThat(limiter.tryConsume("caller", limit).allowed()).isTrue();
			}
			// 1, 1, 2, 4, 8, 16, 16 calls a round trip: 7 round trips (and Lettuce's handshake).
			assertThat(sent).filteredOn("EVALSHA"::equals).hasSize(7);
			assertThat(registry.get("mcp.governance.rate-limit.store.leased-checks").functionCounter().count())
				.isEqualTo(33);
			assertThat(registry.get("mcp.governance.rate-limit.store.leased-calls").gauge().value()).isEqualTo(8);
		}
		assertThat(callsTaken(key("caller", limit), limit)).isEqualTo(40);
	}

	/**
	 * A check answered from a lease while Redis is down would pass for Redis answering (and end the
	 * failover's retry interval for every check): after a store failure, every check goes to Redis
	 * until it answers again.
	 */
	@Test
	void afterAStoreFailureNoCheckIsAnsweredFromALeaseUntilRedisAnswersAgain() throws Exception {
		RateLimit limit = RateLimit.valueOf("4000/day");
		List<BucketLimit> caller = List.of(new BucketLimit("caller", limit));
		try (RedisProcess redis = RedisProcess.startOnFreePort();
				RedisRateLimiter limiter = new RedisRateLimiter(RedisURI.create("127.0.0.1", redis.port()), this.prefix,
						Duration.ofMillis(300), 16, Duration.ofSeconds(10))) {
			while (limiter.leases().held(caller) < 4) {
				assertThat(limiter.tryConsume("caller", limit).allowed()).isTrue();
			}
			redis.pause();
			try {
				assertThatExceptionOfType(RateLimitStoreException.class)
					.isThrownBy(() -> limiter.tryConsume("another caller", limit));
				// The caller's lease still held calls: they are no longer used.
				assertThatExceptionOfType(RateLimitStoreException.class)
					.isThrownBy(() -> limiter.tryConsume("caller", limit));
				assertThat(limiter.leases().held(caller)).isZero();
			}
			finally {
				redis.resume();
			}
			assertThat(limiter.tryConsume("caller", limit).allowed()).isTrue();
		}
	}

	@Test
	void whatAnEndedLeaseHeldGoesBackWhileTheReplicaRuns() throws Exception {
		RateLimit limit = RateLimit.valueOf("4000/day");
		try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT, 16, Duration.ofMillis(50))) {
			int calls = 0;
			long start = System.nanoTime();
			// Enough checks in one lease's life for the leases to grow.
			while (limiter.leases().held(List.of(new BucketLimit("caller", limit))) == 0
					&& System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
				assertThat(limiter.tryConsume("caller", limit).allowed()).isTrue();
				calls++;
			}
			assertThat(limiter.leases().held(List.of(new BucketLimit("caller", limit)))).isPositive();
			Thread.sleep(500);
			assertThat(limiter.leases().held(List.of(new BucketLimit("caller", limit)))).isZero();
			assertThat(callsTaken(key("caller", limit), limit)).isEqualTo(calls);
		}
	}

	@Test
	void replicasTogetherNeverAllowMoreThanTheBucketsHoldAndNoCallIsLost() throws Exception {
		RateLimit rpm = RateLimit.valueOf("400/day");
		List<BucketLimit> tool = List.of(new BucketLimit("global", RateLimit.valueOf("600/day")));
		ExecutorService callers = Executors.newFixedThreadPool(8);
		int allowed = 0;
		try (RedisRateLimiter first = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT, 16, Duration.ofSeconds(10));
				RedisRateLimiter second = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT, 16, Duration.ofSeconds(10))) {
			List<Future<Integer>> counts = new ArrayList<>();
			for (int caller = 0; caller < 8; caller++) {
				RedisRateLimiter replica = (caller % 2 == 0) ? first : second;
				counts.add(callers.submit(() -> {
					int mine = 0;
					for (int call = 0; call < 150; call++) {
						RateLimiter.ChainedDecision decision = replica.tryConsumeFirstThenAll(new BucketLimit("rpm", rpm),
								tool);
						mine += (decision.first().allowed() && decision.then().allowed()) ? 1 : 0;
					}
					return mine;
				}));
			}
			for (Future<Integer> count : counts) {
				allowed += count.get(30, TimeUnit.SECONDS);
			}
			assertThat(allowed).isLessThanOrEqualTo(400);
		}
		finally {
			callers.shutdownNow();
		}
		// Both replicas closed: the calls their leases held are back, and exactly the rest is there.
		try (RedisRateLimiter exact = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT)) {
			int rest = 0;
			while (exact.tryConsumeFirstThenAll(new BucketLimit("rpm", rpm), tool).then() != null) {
				rest++;
			}
			assertThat(allowed + rest).isEqualTo(400);
			assertThat(allowed).as("most calls were allowed while the replicas ran").isGreaterThan(300);
		}
	}

	private List<Long> script(String operation, int calls, String[] keys, RateLimit... limits) {
		List<String> arguments = new ArrayList<>(List.of(operation, Integer.toString(calls)));
		for (RateLimit limit : limits) {
			long period = RedisRateLimiter.micros(limit.period());
			arguments.addAll(List.of(Long.toString(limit.capacity()), Long.toString(period),
					Long.toString(period / limit.capacity()), Long.toString(period % limit.capacity())));
		}
		return redis().eval(RedisRateLimiter.SCRIPT, ScriptOutputType.MULTI, keys, arguments.toArray(String[]::new));
	}

	private int drain(String[] keys, RateLimit limit) {
		int allowed = 0;
		while (script("consume", 1, keys, limit).get(0) == 1) {
			allowed++;
		}
		return allowed;
	}

	private String key(String name, RateLimit limit) {
		return RedisRateLimiter.bucketKey(this.prefix, name, limit);
	}

	private static List<BucketLimit> buckets(RateLimit rpm, List<BucketLimit> tool) {
		List<BucketLimit> buckets = new ArrayList<>();
		buckets.add(new BucketLimit("rpm", rpm));
		buckets.addAll(tool);
		return buckets;
	}

	/**
	 * The calls a bucket is short of full, from its value ({@code tat:rem}) and Redis's clock: the
	 * bucket refills one call per interval (21.6 s for 4000/day), far longer than these tests run.
	 */
	private long callsTaken(String key, RateLimit limit) {
		String value = redis().get(key);
		if (value == null) {
			return 0;
		}
		List<String> time = redis().time();
		long now = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
		long tat = Long.parseLong(value.substring(0, value.indexOf(':')));
		long interval = RedisRateLimiter.micros(limit.period()) / limit.capacity();
		return (tat - now + interval - 1) / interval;
	}

	/** The names of the commands a client sends. */
	private record Commands(List<String> sent) implements CommandListener {

		@Override
		public void commandStarted(CommandStartedEvent event) {
			this.sent.add(event.getCommand().getType().toString());
		}

	}

}
