package dev.mcpgovernance.ratelimit;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import dev.mcpgovernance.TcpProxy;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis store, with both algorithms, against the real Redis on 127.0.0.1:6379: "replicas" are
 * separate application contexts; every test run uses a key prefix of its own so that concurrent runs
 * never share buckets.
 * Limits are per day, so that nothing refills while a test runs.
 */
class RedisRateLimitTests {

	private static final ToolPolicy CANCEL = new ToolPolicy("cancel_order", Scope.parse("orders:order:cancel"), true,
			"OrderTools#cancel");

	private static final ToolPolicy READ = new ToolPolicy("get_order", Scope.parse("orders:order:read"), true,
			"OrderTools#get");

	private static ApplicationContextRunner replica(String store, int redisPort, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, GovernanceRateLimitAutoConfiguration.class,
					GovernanceRateLimitObservabilityAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
					"mcp.governance.rate-limit.store=" + store,
					"mcp.governance.rate-limit.redis.key-prefix=mcpg-test:" + UUID.randomUUID() + ":")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("rate-limit-test", RateLimitTestProperties.parse(properties))));
	}

	private static CallerIdentity caller(String keyId) {
		return new CallerIdentity(keyId, keyId, null, ScopeSet.parse(List.of("orders:*:*")), null, Transport.HTTP, null);
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void twoReplicasSharingRedisAdmitExactlyTheLimitUnderConcurrentLoad(RedisRateLimitAlgorithm algorithm)
			throws Exception {
		String prefix = "mcpg-test:" + UUID.randomUUID() + ":";
		ApplicationContextRunner replica = replica("redis", 6379, algorithm(algorithm),
				"mcp.governance.rate-limit.redis.key-prefix=" + prefix,
				"mcp.governance.rate-limit.redis.timeout=10s",
				"mcp.governance.rate-limit.global-tools[orders:order:cancel]=37/day",
				"mcp.governance.rate-limit.budget=23/day");
		replica.run((first) -> replica.run((second) -> {
			ToolRateLimits a = first.getBean(ToolRateLimits.class);
			ToolRateLimits b = second.getBean(ToolRateLimits.class);
			assertThat(a).isNotSameAs(b);
			assertThat(shared(first)).isInstanceOf(limiterType(algorithm));

			// Global limit of one tool: 400 calls by 400 distinct callers through both replicas.
			int admitted = hammer(a, b, (limits, i) -> limits.check("cancel_order", CANCEL, caller("caller-" + i)));
			assertThat(admitted).isEqualTo(37);

			// Budget of one caller in a loop: 400 calls through both replicas.
			int spent = hammer(a, b, (limits, i) -> limits.check("get_order", READ, caller("loop-agent")));
			assertThat(spent).isEqualTo(23);

			assertThat(first.getBean(FailoverRateLimiter.class).storeFailures()).isZero();
			assertThat(second.getBean(FailoverRateLimiter.class).storeFailures()).isZero();
		}));
	}

	@Test
	void twoReplicasWithTheMemoryStoreEachAdmitTheLimit() throws Exception {
		ApplicationContextRunner replica = replica("memory", 6379,
				"mcp.governance.rate-limit.global-tools[orders:order:cancel]=37/day");
		replica.run((first) -> replica.run((second) -> {
			int admitted = hammer(first.getBean(ToolRateLimits.class), second.getBean(ToolRateLimits.class),
					(limits, i) -> limits.check("cancel_order", CANCEL, caller("caller-" + i)));
			// This is why several replicas need the Redis store.
			assertThat(admitted).isEqualTo(2 * 37);
		}));
	}

	/** 400 checks from 16 threads, half on each replica; how many were admitted. */
	private static int hammer(ToolRateLimits a, ToolRateLimits b, BiFunction<ToolRateLimits, Integer, ToolError> check)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			List<Callable<Boolean>> calls = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				int n = i;
				ToolRateLimits limits = (n % 2 == 0) ? a : b;
				calls.add(() -> check.apply(limits, n) == null);
			}
			int admitted = 0;
			for (Future<Boolean> result : pool.invokeAll(calls, 2, TimeUnit.MINUTES)) {
				admitted += result.get() ? 1 : 0;
			}
			return admitted;
		}
		finally {
			pool.shutdownNow();
		}
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void redisOutageWithTheLocalPolicyFallsBackAndRecoversTheSharedBuckets(RedisRateLimitAlgorithm algorithm)
			throws Exception {
		try (TcpProxy proxy = new TcpProxy(6379)) {
			replica("redis", proxy.port(), algorithm(algorithm), "mcp.governance.rate-limit.redis.timeout=2s",
					"mcp.governance.rate-limit.redis.retry-interval=200ms",
					"mcp.governance.rate-limit.global-tools[orders:order:cancel]=3/day")
				.run((context) -> {
					ToolRateLimits limits = context.getBean(ToolRateLimits.class);
					FailoverRateLimiter store = context.getBean(FailoverRateLimiter.class);
					assertThat(shared(context)).isInstanceOf(limiterType(algorithm));
					assertThat(cancels(limits, 2)).containsExactly(true, true);
					assertThat(health(context).getStatus()).isEqualTo(Status.UP);
					assertThat(health(context).getDetails()).doesNotContainKey("warning");

					proxy.cut();
					// This replica's own, fresh bucket: three more, then refused.
					assertThat(cancels(limits, 4)).containsExactly(true, true, true, false);
					assertThat(store.isStoreUnavailable()).isTrue();
					assertThat(store.storeFailures()).isPositive();
					Health degraded = health(context);
					assertThat(degraded.getStatus()).isEqualTo(Status.UP);
					assertThat(degraded.getDetails()).containsKey("warning").containsEntry("onStoreFailure", "local");
					SimpleMeterRegistry meters = new SimpleMeterRegistry();
					context.getBean(RateLimitStoreMetrics.class).bindTo(meters);
					assertThat(meters.get("mcp.governance.rate-limit.store.failures").functionCounter().count())
						.isPositive();
					assertThat(meters.get("mcp.governance.rate-limit.store.unavailable").gauge().value()).isEqualTo(1);

					proxy.restore();
					awaitRecovery(store);
					// Back on the shared bucket, which still holds the one call left before the outage.
					assertThat(cancels(limits, 2)).containsExactly(true, false);
					assertThat(health(context).getDetails()).doesNotContainKey("warning");
					assertThat(meters.get("mcp.governance.rate-limit.store.unavailable").gauge().value()).isZero();
				});
		}
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void redisOutageWithTheDenyPolicyRefusesUntilRedisReturns(RedisRateLimitAlgorithm algorithm) throws Exception {
		try (TcpProxy proxy = new TcpProxy(6379)) {
			replica("redis", proxy.port(), algorithm(algorithm), "mcp.governance.rate-limit.on-store-failure=deny",
					"mcp.governance.rate-limit.redis.timeout=2s", "mcp.governance.rate-limit.redis.retry-interval=200ms",
					"mcp.governance.rate-limit.global-tools[orders:order:cancel]=3/day")
				.run((context) -> {
					ToolRateLimits limits = context.getBean(ToolRateLimits.class);
					CallerRateLimits callers = context.getBean(CallerRateLimits.class);
					FailoverRateLimiter store = context.getBean(FailoverRateLimiter.class);
					assertThat(shared(context)).isInstanceOf(limiterType(algorithm));
					assertThat(cancels(limits, 1)).containsExactly(true);

					proxy.cut();
					ToolError refused = limits.check("cancel_order", CANCEL, caller("x"));
					assertThat(refused).isNotNull();
					assertThat(refused.details()).containsKey("retry_after_s");
					assertThat(callers.check(caller("y")).allowed()).isFalse();
					assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);

					proxy.restore();
					awaitRecovery(store);
					assertThat(cancels(limits, 3)).containsExactly(true, true, false);
					assertThat(health(context).getStatus()).isEqualTo(Status.UP);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(RedisRateLimitAlgorithm.class)
	void redisDownAtStartUpStillStartsAndFollowsThePolicy(RedisRateLimitAlgorithm algorithm) throws Exception {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		replica("redis", deadPort, algorithm(algorithm), "mcp.governance.rate-limit.redis.timeout=500ms",
				"mcp.governance.rate-limit.global-tools[orders:order:cancel]=2/day")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(cancels(context.getBean(ToolRateLimits.class), 3)).containsExactly(true, true, false);
				assertThat(context.getBean(FailoverRateLimiter.class).isStoreUnavailable()).isTrue();
			});
		replica("redis", deadPort, algorithm(algorithm), "mcp.governance.rate-limit.on-store-failure=deny",
				"mcp.governance.rate-limit.redis.timeout=500ms",
				"mcp.governance.rate-limit.global-tools[orders:order:cancel]=2/day")
			.run((context) -> assertThat(cancels(context.getBean(ToolRateLimits.class), 1)).containsExactly(false));
	}

	private static String algorithm(RedisRateLimitAlgorithm algorithm) {
		return "mcp.governance.rate-limit.redis.algorithm=" + algorithm.name().toLowerCase(Locale.ROOT);
	}

	private static Class<?> limiterType(RedisRateLimitAlgorithm algorithm) {
		return (algorithm == RedisRateLimitAlgorithm.SCRIPT) ? RedisRateLimiter.class : Bucket4jRedisRateLimiter.class;
	}

	/** The Redis limiter behind the failure policy. */
	private static Object shared(ApplicationContext context) {
		return ReflectionTestUtils.getField(context.getBean(FailoverRateLimiter.class), "shared");
	}

	private static List<Boolean> cancels(ToolRateLimits limits, int count) {
		List<Boolean> admitted = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			admitted.add(limits.check("cancel_order", CANCEL, caller("c-" + UUID.randomUUID())) == null);
		}
		return admitted;
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean(RateLimitStoreHealthIndicator.class).health();
	}

	/** Probes with keys of their own until a check reaches Redis again. */
	private static void awaitRecovery(FailoverRateLimiter store) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		RateLimit probe = RateLimit.valueOf("1/day");
		while (store.isStoreUnavailable() && System.nanoTime() < deadline) {
			Thread.sleep(100);
			store.tryConsume("probe:" + UUID.randomUUID(), probe);
		}
		assertThat(store.isStoreUnavailable()).as("store recovered").isFalse();
	}
}
