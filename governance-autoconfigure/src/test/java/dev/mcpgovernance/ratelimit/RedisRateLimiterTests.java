package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis store's limiters against the real Redis on 127.0.0.1:6379, each test under a key prefix
 * of its own: the commands a check sends, the script's arithmetic (the memory store's bucket, at the
 * same times), refill, retry-after, refund and expiry on a real clock.
 */
class RedisRateLimiterTests {

	private static final RedisURI REDIS = RedisUnderTest.URI;

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final RedisUnderTest redisUnderTest = new RedisUnderTest("mcpg-test");

	private final String prefix = this.redisUnderTest.prefix();

	private RedisCommands<String, String> redis() {
		return this.redisUnderTest.commands();
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void theScriptTakesOneCommandPerCheckBucket4jTwoPerCallTaken(RedisRateLimitAlgorithm algorithm) throws Exception {
		RateLimit limit = RateLimit.valueOf("5/day");
		CommandCounter sent = new CommandCounter();
		try (AutoCloseable limiter = limiter(algorithm, sent)) {
			RateLimiter checks = (RateLimiter) limiter;
			// The first use connects (and Lettuce's handshake is a command too): not counted.
			checks.tryConsume("warm-up", limit);
			sent.clear();

			int allowed = 0;
			for (int caller = 0; caller < 20; caller++) {
				for (int call = 0; call < 7; call++) {
					allowed += checks.tryConsume("caller-" + caller, limit).allowed() ? 1 : 0;
				}
			}
			for (int caller = 0; caller < 10; caller++) {
				checks.refund("caller-" + caller, limit);
			}
			assertThat(allowed).isEqualTo(20 * 5);
			if (algorithm == RedisRateLimitAlgorithm.SCRIPT) {
				// 140 checks and 10 refunds: 150 round trips, each the script by its digest.
				assertThat(sent.commands()).hasSize(150).containsOnly("EVALSHA");
			}
			else {
				// Compare-and-swap: every check reads the bucket; one that takes a call (and every
				// refund) writes it back with a script, a second round trip.
				assertThat(sent.commands()).filteredOn("GET"::equals).hasSizeGreaterThanOrEqualTo(150);
				assertThat(sent.commands()).filteredOn("EVAL"::equals).hasSizeGreaterThanOrEqualTo(100 + 10);
			}
		}
	}

	/**
	 * A tool call's limits (per caller, global, budget) in one check: all or nothing, and on the script
	 * one round trip whatever their number. The memory store answers the same (take, then give back).
	 */
	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void severalBucketsAreTakenTogetherOrNotAtAll(RedisRateLimitAlgorithm algorithm) throws Exception {
		RateLimit one = RateLimit.valueOf("1/day");
		RateLimit five = RateLimit.valueOf("5/day");
		CommandCounter sent = new CommandCounter();
		try (AutoCloseable limiter = limiter(algorithm, sent)) {
			// The first use connects (and Lettuce's handshake is a command too): not counted.
			((RateLimiter) limiter).tryConsume("warm-up", one);
			sent.clear();
			assertAllOrNothing((RateLimiter) limiter, one, five, () -> {
				if (algorithm == RedisRateLimitAlgorithm.SCRIPT) {
					// Three checks of two or three buckets each: three round trips.
					assertThat(sent.commands()).hasSize(3).containsOnly("EVALSHA");
				}
			});
		}
		assertAllOrNothing(new LocalRateLimiter(100), one, five, () -> {
		});
	}

	private static void assertAllOrNothing(RateLimiter limiter, RateLimit one, RateLimit five,
			Runnable afterTheChecksOfSeveral) {
		List<RateLimiter.BucketLimit> both = List.of(new RateLimiter.BucketLimit("roomy", five),
				new RateLimiter.BucketLimit("tight", one));
		assertThat(limiter.tryConsumeAll(both).allowed()).isTrue();
		// "tight" is empty now: the second bucket refuses, and "roomy" gives nothing either.
		RateLimiter.MultiDecision refused = limiter.tryConsumeAll(both);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.refused()).isEqualTo(1);
		assertThat(refused.decision().retryAfterSeconds()).isBetween(86_399L, 86_400L);
		RateLimiter.MultiDecision refusedAgain = limiter.tryConsumeAll(List.of(new RateLimiter.BucketLimit("fresh", five),
				new RateLimiter.BucketLimit("roomy", five), new RateLimiter.BucketLimit("tight", one)));
		assertThat(refusedAgain.refused()).isEqualTo(2);
		afterTheChecksOfSeveral.run();
		// "roomy" lost one call (the allowed check), "fresh" none: 4 and 5 calls left.
		int roomy = 0;
		int fresh = 0;
		for (int i = 0; i < 6; i++) {
			roomy += limiter.tryConsume("roomy", five).allowed() ? 1 : 0;
			fresh += limiter.tryConsume("fresh", five).allowed() ? 1 : 0;
		}
		assertThat(roomy).isEqualTo(4);
		assertThat(fresh).isEqualTo(5);
	}

	/**
	 * A caller's rpm, then a tool call's buckets, in one check: the rpm decided first (its refusal
	 * takes nothing at all), the tool's all or nothing after it. One round trip on the script, as
	 * many as separate checks on Bucket4j and the memory store, with the same answers; the refund of
	 * a tool's buckets is one round trip too.
	 */
	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void aRequestsLimitThenItsToolCallsBucketsInOneCheck(RedisRateLimitAlgorithm algorithm) throws Exception {
		CommandCounter sent = new CommandCounter();
		try (AutoCloseable limiter = limiter(algorithm, sent)) {
			((RateLimiter) limiter).tryConsume("warm-up", RateLimit.valueOf("1/day"));
			sent.clear();
			assertFirstThenAll((RateLimiter) limiter, () -> {
				if (algorithm == RedisRateLimitAlgorithm.SCRIPT) {
					// Four chained checks and one refund of two buckets: five round trips.
					assertThat(sent.commands()).hasSize(5).containsOnly("EVALSHA");
				}
			});
		}
		assertFirstThenAll(new LocalRateLimiter(100), () -> {
		});
	}

	private static void assertFirstThenAll(RateLimiter limiter, Runnable afterTheChecks) {
		RateLimit two = RateLimit.valueOf("2/day");
		RateLimit one = RateLimit.valueOf("1/day");
		RateLimit five = RateLimit.valueOf("5/day");
		RateLimiter.BucketLimit rpm = new RateLimiter.BucketLimit("rpm", two);
		List<RateLimiter.BucketLimit> tool = List.of(new RateLimiter.BucketLimit("budget", five),
				new RateLimiter.BucketLimit("tool", one));

		RateLimiter.ChainedDecision first = limiter.tryConsumeFirstThenAll(rpm, tool);
		assertThat(first.first().allowed()).isTrue();
		assertThat(first.then().allowed()).isTrue();
		// "tool" is empty: the rpm takes its second call, the tool's buckets refuse and take nothing.
		RateLimiter.ChainedDecision second = limiter.tryConsumeFirstThenAll(rpm, tool);
		assertThat(second.first().allowed()).isTrue();
		assertThat(second.then().allowed()).isFalse();
		assertThat(second.then().refused()).isEqualTo(1);
		assertThat(second.then().decision().retryAfterSeconds()).isBetween(86_399L, 86_400L);
		// The rpm is spent: refused with its own wait, and the tool's buckets are not even looked at.
		RateLimiter.ChainedDecision third = limiter.tryConsumeFirstThenAll(rpm,
				List.of(new RateLimiter.BucketLimit("untouched", five)));
		assertThat(third.first().allowed()).isFalse();
		assertThat(third.first().retryAfterSeconds()).isBetween(43_199L, 43_200L);
		assertThat(third.then()).isNull();
		// A check that another step refused gives its tool buckets back, all of them.
		RateLimiter.ChainedDecision refunded = limiter.tryConsumeFirstThenAll(new RateLimiter.BucketLimit("rpm-2", two),
				List.of(new RateLimiter.BucketLimit("given-back", one), new RateLimiter.BucketLimit("budget", five)));
		assertThat(refunded.then().allowed()).isTrue();
		limiter.refundAll(List.of(new RateLimiter.BucketLimit("given-back", one),
				new RateLimiter.BucketLimit("budget", five)));
		afterTheChecks.run();
		assertThat(consume(limiter, "untouched", five, 6)).containsExactly(true, true, true, true, true, false);
		assertThat(consume(limiter, "given-back", one, 2)).containsExactly(true, false);
		// "budget": one call taken by the first check, one taken and given back: four left.
		assertThat(consume(limiter, "budget", five, 5)).containsExactly(true, true, true, true, false);
		assertThat(consume(limiter, "rpm-2", two, 2)).containsExactly(true, false);
	}

	@Test
	void aScriptRedisDoesNotHoldIsSentOnceWithEvalWhichLoadsIt() {
		// A text of the script Redis cannot hold yet (SCRIPT FLUSH would disturb others on this Redis).
		CommandCounter sent = new CommandCounter();
		try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT,
				RedisRateLimiter.SCRIPT + "\n-- " + UUID.randomUUID() + "\n")) {
			limiter.client().addListener(sent);
			RateLimit limit = RateLimit.valueOf("2/day");
			assertThat(limiter.tryConsume("second", limit).allowed()).isTrue();
			assertThat(limiter.tryConsume("second", limit).allowed()).isTrue();
			assertThat(limiter.tryConsume("second", limit).allowed()).isFalse();
			// Redis answered NOSCRIPT once; EVAL ran the check and loaded the script.
			assertThat(sent.commands()).filteredOn((name) -> name.startsWith("EVAL"))
				.containsExactly("EVALSHA", "EVAL", "EVALSHA", "EVALSHA");
		}
	}

	/**
	 * The script against Bucket4j's greedy bucket (the memory store's) at the same times: the script's
	 * clock line reads the time from the arguments instead of Redis, and Bucket4j's from the same
	 * counter. Every answer must be the same, retry-after to the nanosecond.
	 */
	@Test
	void theScriptAnswersLikeTheMemoryStoresBucketAtTheSameTimes() {
		String clockFromArguments = RedisRateLimiter.SCRIPT.replace("redis.call('TIME')", "{ARGV[7], ARGV[8]}")
			// Expiry follows the real clock of Redis, which this test's times do not.
			.replace("'PX', math.ceil(micros / 1000)", "'PX', 600000");
		assertThat(clockFromArguments).doesNotContain("redis.call('TIME')").doesNotContain("micros / 1000");
		Random random = new Random(20261204);
		for (String text : List.of("7/day", "2/s", "3/s", "13/min", "60/min", "100/h", "99/day")) {
			RateLimit limit = RateLimit.valueOf(text);
			long periodMicros = RedisRateLimiter.micros(limit.period());
			long intervalMicros = Math.max(1, periodMicros / limit.capacity());
			FakeClock clock = new FakeClock(1_780_000_000_000_000L);
			Bucket memory = Bucket.builder().addLimit(Bandwidths.bandwidth(limit)).withCustomTimePrecision(clock).build();
			String key = RedisRateLimiter.bucketKey(this.prefix, "differential", limit);
			int allowed = 0;
			int refused = 0;
			long steps = 300 + 8 * limit.capacity();
			for (int step = 0; step < steps; step++) {
				// Calls come faster than the bucket refills (bursts, short waits), so it empties and
				// then refuses; once, half-way, a long idle fills it again.
				long advance = switch (random.nextInt(5)) {
					case 0, 1 -> 0;
					case 2, 3 -> random.nextLong(intervalMicros + 1);
					default -> random.nextLong(2 * intervalMicros + 1);
				};
				if (step == steps / 2) {
					advance = random.nextLong(2 * periodMicros);
				}
				clock.micros += advance;
				String operation = (random.nextInt(8) == 0) ? "refund" : "consume";
				List<Long> answer = redis().eval(clockFromArguments, ScriptOutputType.MULTI, new String[] { key },
						operation, "1", Long.toString(limit.capacity()), Long.toString(periodMicros),
						Long.toString(periodMicros / limit.capacity()), Long.toString(periodMicros % limit.capacity()),
						Long.toString(clock.micros / 1_000_000), Long.toString(clock.micros % 1_000_000));
				if (operation.equals("refund")) {
					memory.addTokens(1);
					continue;
				}
				ConsumptionProbe expected = memory.tryConsumeAndReturnRemaining(1);
				String at = limit + ", step " + step;
				assertThat(answer.get(0) == 1).as(at).isEqualTo(expected.isConsumed());
				if (expected.isConsumed()) {
					allowed++;
				}
				else {
					refused++;
					assertThat(RedisRateLimiter.nanosToWait(answer.get(1), answer.get(2), limit)).as(at)
						.isEqualTo(expected.getNanosToWaitForRefill());
				}
			}
			assertThat(allowed).as(limit + " allowed").isGreaterThan(20);
			assertThat(refused).as(limit + " refused").isGreaterThan(20);
		}
	}

	@Test
	void aShortLimitRefillsOneCallPerIntervalAndSaysHowLongToWait() throws Exception {
		RateLimit limit = RateLimit.valueOf("2/s");
		String key = RedisRateLimiter.bucketKey(this.prefix, "short", limit);
		try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT)) {
			limiter.tryConsume("warm-up", limit);
			long start = System.nanoTime();
			assertThat(limiter.probe("short", limit).consumed()).isTrue();
			assertThat(limiter.probe("short", limit).consumed()).isTrue();
			RedisRateLimiter.Probe refused = limiter.probe("short", limit);
			long elapsed = System.nanoTime() - start;
			// The first call's half second comes back first: 500 ms after it, by Redis's clock.
			assertThat(refused.consumed()).isFalse();
			assertThat(refused.nanosToWait()).isBetween(TimeUnit.MILLISECONDS.toNanos(500) - elapsed - 1_000,
					TimeUnit.MILLISECONDS.toNanos(500));
			assertThat(limiter.tryConsume("short", limit).retryAfterSeconds()).isEqualTo(1);
			// The bucket is full again one second after the last call; Redis forgets it then.
			assertThat(redis().pttl(key)).isBetween(500L, 1000L);

			TimeUnit.NANOSECONDS.sleep(refused.nanosToWait() + TimeUnit.MILLISECONDS.toNanos(20));
			assertThat(limiter.probe("short", limit).consumed()).isTrue();
			RedisRateLimiter.Probe again = limiter.probe("short", limit);
			assertThat(again.consumed()).isFalse();
			assertThat(again.nanosToWait()).isBetween(TimeUnit.MILLISECONDS.toNanos(400),
					TimeUnit.MILLISECONDS.toNanos(500));

			Thread.sleep(1_100);
			assertThat(redis().exists(key)).as("bucket forgotten once full").isZero();
			assertThat(limiter.probe("short", limit).consumed()).isTrue();
			assertThat(limiter.probe("short", limit).consumed()).isTrue();
			assertThat(limiter.probe("short", limit).consumed()).isFalse();
		}
	}

	@Test
	void aRefundGivesBackOneCallAndNeverFillsBeyondFull() {
		RateLimit limit = RateLimit.valueOf("2/day");
		try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT)) {
			// A refund to a full bucket changes nothing.
			limiter.refund("full", limit);
			limiter.refund("full", limit);
			assertThat(redis().exists(RedisRateLimiter.bucketKey(this.prefix, "full", limit))).isZero();
			assertThat(consume(limiter, "full", limit, 3)).containsExactly(true, true, false);

			limiter.refund("full", limit);
			assertThat(consume(limiter, "full", limit, 2)).containsExactly(true, false);

			// Refunding the only call taken leaves a full bucket, which Redis then does not keep.
			assertThat(consume(limiter, "one", limit, 1)).containsExactly(true);
			limiter.refund("one", limit);
			assertThat(redis().exists(RedisRateLimiter.bucketKey(this.prefix, "one", limit))).isZero();
			assertThat(consume(limiter, "one", limit, 3)).containsExactly(true, true, false);
		}
	}

	@Test
	void callersWhoseKeysDifferOnlyBeyondAsciiHaveBucketsOfTheirOwn() {
		RateLimit limit = RateLimit.valueOf("2/day");
		// Accents, a character outside the basic plane (a surrogate pair), and the '?' an ASCII codec
		// would turn them all into.
		List<String> callers = List.of("Jos\u00e9", "Jos\u00e8", "Jos?", "owner-\uD834\uDD1E", "owner-\u00fc\u00df");
		try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT)) {
			for (String caller : callers) {
				assertThat(consume(limiter, caller, limit, 3)).as(caller).containsExactly(true, true, false);
			}
			// Stored in UTF-8 under the caller's own key, as any other client reads it.
			for (String caller : callers) {
				assertThat(redis().exists(RedisRateLimiter.bucketKey(this.prefix, caller, limit))).as(caller).isOne();
			}
			// An unpaired surrogate is sent as the one byte the codec counted for it: the command stays whole.
			assertThat(consume(limiter, "lone-\uD834", limit, 3)).containsExactly(true, true, false);
			assertThat(consume(limiter, "after", limit, 1)).containsExactly(true);
		}
	}

	@Test
	void aValueTheScriptDidNotWriteCountsAsAFullBucket() {
		RateLimit limit = RateLimit.valueOf("3/day");
		try (Bucket4jRedisRateLimiter bucket4j = new Bucket4jRedisRateLimiter(REDIS, this.prefix, TIMEOUT);
				RedisRateLimiter script = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT)) {
			// A bucket Bucket4j emptied under the same key (the bucket4j algorithm before a switch).
			assertThat(consume(bucket4j, "old", limit, 4)).containsExactly(true, true, true, false);
			assertThat(consume(script, "old", limit, 4)).containsExactly(true, true, true, false);

			redis().set(RedisRateLimiter.bucketKey(this.prefix, "garbage", limit), "not a bucket");
			assertThat(consume(script, "garbage", limit, 4)).containsExactly(true, true, true, false);
		}
	}

	private static List<Boolean> consume(RateLimiter limiter, String key, RateLimit limit, int count) {
		List<Boolean> admitted = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			admitted.add(limiter.tryConsume(key, limit).allowed());
		}
		return admitted;
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void checksMadeWhileTheConnectionIsStillBeingOpenedInTheBackgroundAreAnswered(RedisRateLimitAlgorithm algorithm)
			throws Exception {
		RateLimit limit = RateLimit.valueOf("1000/day");
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 10; round++) {
				try (AutoCloseable limiter = limiter(algorithm, new CommandCounter())) {
					// As at start-up: the first checks may come before, during or after the background attempt.
					if (limiter instanceof RedisRateLimiter script) {
						script.connectInBackground();
					}
					else {
						((Bucket4jRedisRateLimiter) limiter).connectInBackground();
					}
					List<Future<RateLimitDecision>> decisions = new ArrayList<>();
					for (int caller = 0; caller < 8; caller++) {
						String key = "round-" + round + "-caller-" + caller;
						decisions.add(callers.submit(() -> ((RateLimiter) limiter).tryConsume(key, limit)));
					}
					for (Future<RateLimitDecision> decision : decisions) {
						assertThat(decision.get(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS).allowed()).isTrue();
					}
				}
			}
		}
		finally {
			callers.shutdownNow();
		}
	}

	private AutoCloseable limiter(RedisRateLimitAlgorithm algorithm, CommandListener listener) {
		if (algorithm == RedisRateLimitAlgorithm.SCRIPT) {
			RedisRateLimiter limiter = new RedisRateLimiter(REDIS, this.prefix, TIMEOUT);
			limiter.client().addListener(listener);
			return limiter;
		}
		Bucket4jRedisRateLimiter limiter = new Bucket4jRedisRateLimiter(REDIS, this.prefix, TIMEOUT);
		limiter.client().addListener(listener);
		return limiter;
	}

	/** The names of the commands a Lettuce client sends, in order. */
	private static final class CommandCounter implements CommandListener {

		private final List<String> commands = new CopyOnWriteArrayList<>();

		@Override
		public void commandStarted(CommandStartedEvent event) {
			this.commands.add(event.getCommand().getType().toString());
		}

		List<String> commands() {
			return this.commands;
		}

		void clear() {
			this.commands.clear();
		}

	}

	/** Time for Bucket4j that the test moves, in whole microseconds like the script's. */
	private static final class FakeClock implements TimeMeter {

		private long micros;

		FakeClock(long micros) {
			this.micros = micros;
		}

		@Override
		public long currentTimeNanos() {
			return this.micros * 1000;
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}

	}

}
