import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import dev.mcpgovernance.ratelimit.Bucket4jRedisRateLimiter;
import dev.mcpgovernance.ratelimit.LocalRateLimiter;
import dev.mcpgovernance.ratelimit.RateLimit;
import dev.mcpgovernance.ratelimit.RateLimiter;
import dev.mcpgovernance.ratelimit.RedisRateLimiter;
import io.lettuce.core.RedisURI;

/**
 * Checks per second of the memory store and of the Redis store with each algorithm (script: one Lua
 * script per check; bucket4j: Bucket4j's compare-and-swap): {@code threads} threads call
 * {@code tryConsume} for {@code seconds} seconds, each over 1,000 keys of its own (no contention on a
 * bucket) with a limit that never refuses, after a warm-up of the same length.
 * Arguments: threads seconds redis-host redis-port.
 */
public final class RateLimitBenchmark {

	public static void main(String[] args) throws Exception {
		int threads = Integer.parseInt(args[0]);
		int seconds = Integer.parseInt(args[1]);
		RedisURI uri = RedisURI.create(args[2], Integer.parseInt(args[3]));
		RateLimit limit = RateLimit.valueOf("1000000000/day");
		String prefix = "mcpg-bench:" + UUID.randomUUID() + ":";

		LocalRateLimiter memory = new LocalRateLimiter(100_000);
		report("memory", run(memory, limit, threads, seconds), threads);
		try (RedisRateLimiter redis = new RedisRateLimiter(uri, prefix + "script:", Duration.ofSeconds(5))) {
			report("redis (script)", run(redis, limit, threads, seconds), threads);
		}
		try (Bucket4jRedisRateLimiter redis = new Bucket4jRedisRateLimiter(uri, prefix + "bucket4j:",
				Duration.ofSeconds(5))) {
			report("redis (bucket4j)", run(redis, limit, threads, seconds), threads);
		}
	}

	private static void report(String store, double checksPerSecond, int threads) {
		System.out.printf("%s store, %d threads: %,.0f checks/s%n", store, threads, checksPerSecond);
	}

	private static double run(RateLimiter limiter, RateLimit limit, int threads, int seconds) throws InterruptedException {
		measure(limiter, limit, threads, seconds);
		return measure(limiter, limit, threads, seconds);
	}

	private static double measure(RateLimiter limiter, RateLimit limit, int threads, int seconds)
			throws InterruptedException {
		LongAdder checks = new LongAdder();
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		CountDownLatch done = new CountDownLatch(threads);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			String keyBase = "t" + t + ":";
			Thread worker = new Thread(() -> {
				int i = 0;
				while (System.nanoTime() < end) {
					if (!limiter.tryConsume(keyBase + (i++ % 1000), limit).allowed()) {
						throw new IllegalStateException("refused: the benchmark limit is too small");
					}
					checks.increment();
				}
				done.countDown();
			});
			workers.add(worker);
			worker.start();
		}
		done.await();
		return checks.sum() / (double) seconds;
	}

}
