package dev.mcpgovernance.ratelimit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A governed server on the real Redis, called by the MCP Java SDK's client: a tool call with limits
 * costs one round trip to Redis (the caller's rpm and the tool's buckets in one script run), a busy
 * caller's requests share round trips through leases, and a call refused before its limit step (for
 * its scope) takes nothing from the tool's buckets. Every
 * test runs under a Redis key prefix of its own.
 */
class ToolCallRoundTripsIntegrationTests {

	private final String redisPrefix = "mcpg-round-trips:" + UUID.randomUUID() + ":";

	private final List<String> sent = new CopyOnWriteArrayList<>();

	private ConfigurableApplicationContext server;

	private RedisMonitor monitor;

	private void start(String protocol, String... properties) {
		this.server = new SpringApplicationBuilder(GovernedTestApplication.class).web(WebApplicationType.SERVLET)
			.properties(properties)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"spring.ai.mcp.server.protocol=" + protocol,
					"spring.datasource.url=jdbc:h2:mem:round-trips-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					"mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.key-prefix=" + this.redisPrefix,
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
					"mcp.governance.audit.journal-dir=target/audit-journal/round-trips-" + UUID.randomUUID())
			.run();
		this.monitor = new RedisMonitor(this.redisPrefix, this.sent);
	}

	@AfterEach
	void stop() throws IOException {
		if (this.monitor != null) {
			this.monitor.close();
		}
		if (this.server != null) {
			this.server.close();
		}
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", 6379));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys(this.redisPrefix + "*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(String[]::new));
			}
		}
		finally {
			client.shutdown();
		}
	}

	@BeforeEach
	void clear() {
		this.sent.clear();
	}

	@ParameterizedTest
	@ValueSource(strings = { "STREAMABLE", "STATELESS" })
	void aToolCallWithLimitsIsOneRoundTripToRedis(String protocol) {
		start(protocol);
		try (McpSyncClient client = McpTestClient.streamable(port(), "X-API-Key", key("orders:*:read"))) {
			// limited_ping: two calls a day per caller, three for all callers.
			assertThat(McpTestClient.call(client, "limited_ping", Map.of()).isError()).isFalse();
			this.monitor.awaitQuiet();
			this.sent.clear();
			assertThat(McpTestClient.call(client, "limited_ping", Map.of()).isError()).isFalse();
			this.monitor.awaitQuiet();
			assertThat(this.sent).containsExactly("evalsha");
			this.sent.clear();
			CallToolResult refused = McpTestClient.call(client, "limited_ping", Map.of());
			assertThat(McpTestClient.error(refused)).containsEntry("error_code", "rate_limited");
			this.monitor.awaitQuiet();
			assertThat(this.sent).containsExactly("evalsha");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "STREAMABLE", "STATELESS" })
	void aBusyCallersRequestsReachRedisOnceALease(String protocol) {
		// A roomy rpm: its leases may hold up to 16 calls (limits under 32 calls never lease), and
		// leases that outlive the test's calls however slowly a shared machine makes them.
		start(protocol, "mcp.governance.rate-limit.default-rpm=60000", "mcp.governance.rate-limit.redis.lease.duration=10s");
		try (McpSyncClient client = McpTestClient.streamable(port(), "X-API-Key", key("orders:*:read"))) {
			this.monitor.awaitQuiet();
			this.sent.clear();
			for (int call = 0; call < 40; call++) {
				assertThat(McpTestClient.call(client, "get_order", Map.of("orderId", "o-" + call)).isError()).isFalse();
			}
			this.monitor.awaitQuiet();
			// Leases of 1, 1, 2, 4, 8, then 16 calls while the calls keep coming: 7 round trips for 40
			// requests, not 40.
			assertThat(this.sent).containsOnly("evalsha").hasSizeBetween(5, 8);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "STREAMABLE", "STATELESS" })
	void callsRefusedForTheirScopeTakeNothingFromTheToolsLimits(String protocol) {
		start(protocol);
		try (McpSyncClient outsider = McpTestClient.streamable(port(), "X-API-Key", key("orders:order:read"))) {
			for (int i = 0; i < 4; i++) {
				CallToolResult refused = McpTestClient.call(outsider, "limited_ping", Map.of());
				assertThat(McpTestClient.error(refused)).containsEntry("error_code", "forbidden");
			}
		}
		// The tool's three calls a day for all callers are all still there.
		int admitted = 0;
		for (int caller = 0; caller < 4; caller++) {
			try (McpSyncClient client = McpTestClient.streamable(port(), "X-API-Key", key("orders:*:read"))) {
				admitted += Boolean.TRUE.equals(McpTestClient.call(client, "limited_ping", Map.of()).isError()) ? 0 : 1;
			}
		}
		assertThat(admitted).isEqualTo(3);
	}

	private String key(String scope) {
		return this.server.getBean(ApiKeyManager.class)
			.create("round-trips", null, ScopeSet.parse(List.of(scope)), null, null)
			.secret();
	}

	/**
	 * Redis's {@code MONITOR} on a socket of its own: the name of every command a client sent that names
	 * a key under {@code prefix}.
	 */
	private static final class RedisMonitor implements AutoCloseable {

		private final Socket socket;

		private final Thread reader;

		private volatile long lastLineNanos = System.nanoTime();

		RedisMonitor(String prefix, List<String> commands) {
			try {
				this.socket = new Socket("127.0.0.1", 6379);
				this.socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
				BufferedReader lines = new BufferedReader(
						new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
				if (!"+OK".equals(lines.readLine())) {
					throw new IllegalStateException("Redis refused MONITOR");
				}
				this.reader = new Thread(() -> {
					try {
						for (String line = lines.readLine(); line != null; line = lines.readLine()) {
							this.lastLineNanos = System.nanoTime();
							int name = line.indexOf("] \"");
							// Commands a script runs show as the client "lua": they are part of that round trip.
							if (line.contains(prefix) && name > 0 && !line.contains(" lua] ")) {
								commands.add(line.substring(name + 3, line.indexOf('"', name + 3)).toLowerCase(Locale.ROOT));
							}
						}
					}
					catch (IOException ex) {
						// Closed.
					}
				}, "redis-monitor");
				this.reader.setDaemon(true);
				this.reader.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** Waits until Redis has reported nothing for 300 ms: what was sent has been seen. */
		void awaitQuiet() {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> System.nanoTime() - this.lastLineNanos > Duration.ofMillis(300).toNanos());
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

	private int port() {
		return ((WebServerApplicationContext) this.server).getWebServer().getPort();
	}

}
