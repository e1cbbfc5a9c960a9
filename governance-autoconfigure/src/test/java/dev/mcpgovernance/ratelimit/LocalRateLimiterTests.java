package dev.mcpgovernance.ratelimit;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRateLimiterTests {

	// Per day: no call comes back during a test, however slow the machine.
	private static final RateLimit FIVE_PER_DAY = RateLimit.valueOf("5/day");

	@Test
	void admitsExactlyTheLimitThenSaysHowLongToWait() {
		LocalRateLimiter limiter = new LocalRateLimiter(100);
		for (int i = 0; i < 5; i++) {
			assertThat(limiter.tryConsume("a", FIVE_PER_DAY).allowed()).isTrue();
		}
		RateLimitDecision refused = limiter.tryConsume("a", FIVE_PER_DAY);
		assertThat(refused.allowed()).isFalse();
		// Greedy refill of 5 a day: the next call is due in a fifth of a day.
		assertThat(refused.retryAfterSeconds()).isBetween(17_000L, 17_280L);
		assertThat(limiter.tryConsume("b", FIVE_PER_DAY).allowed()).isTrue();
	}

	@Test
	void aChangedLimitGetsABucketOfItsOwn() {
		LocalRateLimiter limiter = new LocalRateLimiter(100);
		assertThat(limiter.tryConsume("a", RateLimit.valueOf("1/day")).allowed()).isTrue();
		assertThat(limiter.tryConsume("a", RateLimit.valueOf("1/day")).allowed()).isFalse();
		assertThat(limiter.tryConsume("a", RateLimit.valueOf("2/day")).allowed()).isTrue();
	}

	@Test
	void refundGivesTheCallBack() {
		LocalRateLimiter limiter = new LocalRateLimiter(100);
		RateLimit one = RateLimit.valueOf("1/day");
		assertThat(limiter.tryConsume("a", one).allowed()).isTrue();
		limiter.refund("a", one);
		assertThat(limiter.tryConsume("a", one).allowed()).isTrue();
		assertThat(limiter.tryConsume("a", one).allowed()).isFalse();
	}

	@Test
	void isExactUnderConcurrentLoad() throws InterruptedException {
		LocalRateLimiter limiter = new LocalRateLimiter(100);
		RateLimit limit = RateLimit.valueOf("137/day");
		AtomicInteger admitted = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		for (int i = 0; i < 1000; i++) {
			pool.execute(() -> {
				if (limiter.tryConsume("shared", limit).allowed()) {
					admitted.incrementAndGet();
				}
			});
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		assertThat(admitted).hasValue(137);
	}

	@Test
	void aMillionDistinctCallersStayWithinTheBucketBound() {
		LocalRateLimiter limiter = new LocalRateLimiter(10_000);
		RateLimit limit = RateLimit.valueOf("3/day");
		int admitted = 0;
		for (int i = 0; i < 1_000_000; i++) {
			admitted += limiter.tryConsume("caller-" + i, limit).allowed() ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(1_000_000);
		assertThat(limiter.bucketCount()).isLessThanOrEqualTo(10_000).isGreaterThan(0);
		// The most recent callers are still remembered: their limits still hold.
		assertThat(limiter.tryConsume("caller-999999", limit).allowed()).isTrue();
		assertThat(limiter.tryConsume("caller-999999", limit).allowed()).isTrue();
		assertThat(limiter.tryConsume("caller-999999", limit).allowed()).isFalse();
	}

}
