package dev.mcpgovernance.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.RedisProcess;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.ratelimit.FailoverRateLimiter;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenario through the running server: the Redis rate-limit store's Redis (a
 * {@code redis-server} of the test's own, never the shared one) stopped with {@code SIGSTOP} while
 * 16 MCP tool calls run at once, each of which is checked against the caller's rpm in Redis before
 * dispatch. Redis adds no more than the store's timeout to what a call takes anyway: no call takes
 * longer than the longest of a round with Redis answering, plus the timeout, plus {@link #MARGIN}
 * for scheduling on a shared machine (before the fix the first calls after the retry interval hung
 * for over a minute). The local policy answers; after {@code SIGCONT} the store is shared again.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:redis-store-outage;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.timeout=500ms",
				"mcp.governance.rate-limit.redis.retry-interval=300ms", "mcp.governance.rate-limit.default-rpm=100000",
				// Every check goes to Redis, the case this test is about: with leases, a round may be
				// answered from calls taken before Redis stopped, and never reach it.
				"mcp.governance.rate-limit.redis.lease.max-calls=1" })
class RedisStoreOutageIntegrationTests {

	static final Duration TIMEOUT = Duration.ofMillis(500);

	/** Scheduling on a shared 2-core machine, on top of the timeout and a round's own time. */
	static final Duration MARGIN = Duration.ofMillis(500);

	static final int CONCURRENT = 16;

	static RedisProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	FailoverRateLimiter store;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) throws Exception {
		redis = RedisProcess.startOnFreePort();
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", redis::port);
		registry.add("mcp.governance.rate-limit.redis.key-prefix", () -> "mcpg-it:" + UUID.randomUUID() + ":");
	}

	@AfterAll
	static void stopRedis() throws Exception {
		redis.close();
	}

	@Test
	void stoppedRedisHoldsNoToolCallLongerThanTheTimeout() throws Exception {
		String key = this.apiKeys.create("redis-outage", null, ScopeSet.parse(List.of("orders:*:read")), null, null)
			.secret();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				round(client);
				return !this.store.isStoreUnavailable();
			});
			Round answering = round(client);
			System.out.println("[redis-outage-it] Redis answering: longest tool call " + answering.longestMillis() + " ms");
			assertThat(answering.answered()).isEqualTo(CONCURRENT);

			long bound = answering.longestMillis() + TIMEOUT.plus(MARGIN).toMillis();
			redis.pause();
			try {
				for (int retry = 0; retry <= 2; retry++) {
					Round stopped = round(client);
					System.out.println("[redis-outage-it] SIGSTOP round " + retry + ": longest tool call "
							+ stopped.longestMillis() + " ms, answered " + stopped.answered() + "/" + CONCURRENT);
					assertThat(stopped.longestMillis()).isLessThanOrEqualTo(bound);
					assertThat(stopped.answered()).as("the local policy answers").isEqualTo(CONCURRENT);
					assertThat(this.store.isStoreUnavailable()).isTrue();
					Thread.sleep(350);
				}
			}
			finally {
				redis.resume();
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				round(client);
				return !this.store.isStoreUnavailable();
			});
			long failures = this.store.storeFailures();
			assertThat(round(client).answered()).isEqualTo(CONCURRENT);
			assertThat(this.store.storeFailures()).as("checks go to Redis again").isEqualTo(failures);
		}
	}

	/** {@value #CONCURRENT} calls of get_order released at once on one client. */
	private static Round round(McpSyncClient client) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<long[]>> results = new ArrayList<>();
			for (int i = 0; i < CONCURRENT; i++) {
				int n = i;
				results.add(pool.submit(() -> {
					start.await();
					long began = System.nanoTime();
					CallToolResult result = McpTestClient.call(client, "get_order", Map.of("orderId", "o-" + n));
					return new long[] { (System.nanoTime() - began) / 1_000_000,
							Boolean.TRUE.equals(result.isError()) ? 0 : 1 };
				}));
			}
			start.countDown();
			long longest = 0;
			int answered = 0;
			for (Future<long[]> result : results) {
				long[] call = result.get(90, TimeUnit.SECONDS);
				longest = Math.max(longest, call[0]);
				answered += (int) call[1];
			}
			return new Round(longest, answered);
		}
		finally {
			pool.shutdownNow();
		}
	}

	record Round(long longestMillis, int answered) {
	}

}
