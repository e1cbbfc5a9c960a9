package dev.mcpgovernance.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpgovernance.TcpProxy;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of two real upstream Spring AI MCP servers (one behind a TCP proxy that can
 * be cut) and one that is down, called through the MCP Java SDK client with API keys.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, GatewayIntegrationTests.Events.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:gateway-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h",
				"spring.ai.mcp.server.instructions=The test shop's orders and inventory.",
				"mcp.governance.upstreams.crm.description=Customer records,   one\tline each",
				"mcp.governance.upstreams.crm.denied-tools=delete_*",
				"mcp.governance.upstreams.crm.scopes.[find_*]=customer:read",
				"resilience4j.circuitbreaker.instances.upstream-crm.sliding-window-size=2",
				"resilience4j.circuitbreaker.instances.upstream-crm.minimum-number-of-calls=2",
				"resilience4j.circuitbreaker.instances.upstream-crm.failure-rate-threshold=50",
				"resilience4j.circuitbreaker.instances.upstream-crm.wait-duration-in-open-state=1s",
				"resilience4j.retry.instances.upstream-crm.max-attempts=1" })
class GatewayIntegrationTests {

	private static final ConfigurableApplicationContext crm = UpstreamTestServer.crm();

	private static final ConfigurableApplicationContext tickets = UpstreamTestServer.tickets();

	private static final TcpProxy crmProxy = proxy(UpstreamTestServer.port(crm));

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	McpGateway gateway;

	@Autowired
	UpstreamsHealthIndicator health;

	@Autowired
	Events events;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.upstreams.crm.url", () -> "http://127.0.0.1:" + crmProxy.port() + "/mcp");
		registry.add("mcp.governance.upstreams.tickets.url",
				() -> "http://127.0.0.1:" + UpstreamTestServer.port(tickets) + "/mcp");
		registry.add("mcp.governance.upstreams.billing.url", () -> "http://127.0.0.1:" + closedPort() + "/mcp");
	}

	@AfterAll
	static void stopUpstreams() throws IOException {
		crmProxy.close();
		crm.close();
		tickets.close();
	}

	private McpSyncClient client(String... scopes) {
		String key = this.apiKeys.create("gateway-owner", "Gateway owner", ScopeSet.parse(List.of(scopes)), null, null)
			.secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	private static List<String> names(McpSyncClient client) {
		return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	@Test
	void upstreamToolIsGovernedLikeALocalOne() {
		try (McpSyncClient without = client("crm:lookup:call")) {
			assertThat(names(without)).doesNotContain("find_customer");
			CallToolResult refused = call(without, "find_customer", Map.of("id", "c-1"));
			assertThat(refused.isError()).isTrue();
			assertThat(error(refused)).containsEntry("error_code", "forbidden");
			assertThat(error(refused).toString()).contains("crm:customer:read");
		}
		try (McpSyncClient with = client("crm:customer:read")) {
			assertThat(names(with)).contains("find_customer");
			CallToolResult result = call(with, "find_customer", Map.of("id", "c-1"));
			assertThat(result.isError()).isFalse();
			// Redacted like a local result: the upstream's password field never reaches the caller.
			assertThat(text(result)).contains("Ada").doesNotContain("upstream-secret-1");
		}
		assertThat(this.events.calls).anySatisfy((event) -> {
			assertThat(event.toolName()).isEqualTo("find_customer");
			assertThat(event.dataSource()).isEqualTo("upstream-crm");
			assertThat(event.errorCode()).isNull();
		});
	}

	@Test
	void deniedGlobHidesTheToolFromListingAndCall() {
		try (McpSyncClient client = client("crm:*:*")) {
			assertThat(names(client)).isNotEmpty().doesNotContain("delete_customer", "crm_delete_customer");
			assertThat(refusedOrFailed(client, "delete_customer")).isTrue();
			assertThat(refusedOrFailed(client, "crm_delete_customer")).isTrue();
		}
		assertThat(this.gateway.exposedTools().get("crm")).doesNotContain("delete_customer", "crm_delete_customer");
	}

	private static boolean refusedOrFailed(McpSyncClient client, String tool) {
		try {
			return Boolean.TRUE.equals(call(client, tool, Map.of("id", "c-1")).isError());
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	@Test
	void collisionsArePrefixedWithTheDomain() {
		try (McpSyncClient client = client("crm:*:*", "tickets:*:*", "orders:*:*")) {
			List<String> names = names(client);
			assertThat(names).contains("crm_lookup", "tickets_lookup", "tickets_get_order", "get_order", "open_ticket")
				.doesNotContain("lookup");
			assertThat(text(call(client, "crm_lookup", Map.of("query", "x")))).contains("crm:x");
			assertThat(text(call(client, "tickets_lookup", Map.of("query", "x")))).contains("tickets:x");
			assertThat(text(call(client, "tickets_get_order", Map.of("orderId", "o-1")))).contains("ticket-for:o-1");
		}
	}

	@Test
	void instructionsNameEachUpstreamAfterTheServersOwn() {
		try (McpSyncClient client = client("orders:*:read")) {
			assertThat(client.getServerInstructions()).isEqualTo("""
					The test shop's orders and inventory.

					This server also serves the tools of these upstream MCP servers (domain: what it is for):
					- billing
					- crm: Customer records, one line each
					- tickets""");
		}
	}

	@Test
	void aNewSessionSeesUpstreamsAddedAndRemovedAtRunTime() {
		URI faq = URI.create("http://127.0.0.1:" + UpstreamTestServer.port(tickets) + "/mcp");
		try {
			this.gateway.add(UpstreamDefinition.of("faq", faq, UpstreamDefinition.Transport.STREAMABLE,
					"Answers to common questions", List.of("lookup"), List.of(), Map.of(), DownstreamAuth.none(),
					DownstreamAuth.none()));
			try (McpSyncClient client = client("orders:*:read")) {
				assertThat(client.getServerInstructions()).contains("- crm: Customer records",
						"- faq: Answers to common questions");
			}
			this.gateway.remove("faq");
			try (McpSyncClient client = client("orders:*:read")) {
				assertThat(client.getServerInstructions()).contains("- crm: Customer records").doesNotContain("faq");
			}
		}
		finally {
			this.gateway.remove("faq");
		}
	}

	@Test
	void upstreamErrorCarriesNoUpstreamInternals() {
		try (McpSyncClient client = client("crm:*:*")) {
			CallToolResult result = call(client, "crm_fail", Map.of());
			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "upstream_error");
			assertThat(result.toString()).doesNotContain("hunter2", "jdbc", "IllegalStateException");
		}
	}

	@Test
	void upstreamDownAtStartUpShowsInHealthAndDoesNotStopTheServer() {
		Health health = this.health.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails().get("billing").toString()).contains("status=down");
		assertThat(health.getDetails().get("tickets").toString()).contains("status=up");
	}

	@Test
	void stoppedUpstreamTripsItsBreakerAndComesBackAfterRefresh() throws IOException {
		try (McpSyncClient client = client("crm:customer:read")) {
			assertThat(call(client, "find_customer", Map.of("id", "c-1")).isError()).isFalse();
			crmProxy.cut();
			try {
				List<String> codes = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					codes.add(String.valueOf(error(call(client, "find_customer", Map.of("id", "c-1"))).get("error_code")));
				}
				assertThat(codes).containsOnly("source_unavailable");
				assertThat(this.gateway.statuses()).anySatisfy((status) -> {
					assertThat(status.domain()).isEqualTo("crm");
					assertThat(status.breaker()).isEqualTo("open");
				});
			}
			finally {
				crmProxy.restore();
			}
			this.gateway.refresh();
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> !Boolean.TRUE.equals(call(client, "find_customer", Map.of("id", "c-1")).isError()));
			assertThat(this.gateway.statuses()).anySatisfy((status) -> {
				assertThat(status.domain()).isEqualTo("crm");
				assertThat(status.up()).isTrue();
			});
		}
	}

	@Test
	void upstreamsAreAddedAndRemovedAtRunTimeUnderConcurrentCalls() throws Exception {
		AtomicInteger changes = new AtomicInteger();
		String key = this.apiKeys.create("gateway-owner", "Gateway owner",
				ScopeSet.parse(List.of("tickets:*:*", "helpdesk:*:*")), null, null).secret();
		McpSyncClient watcher = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port)
				.endpoint("/mcp")
				.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
				.build())
			.requestTimeout(Duration.ofSeconds(10))
			.toolsChangeConsumer((tools) -> changes.incrementAndGet())
			.build();
		watcher.initialize();
		ExecutorService callers = Executors.newFixedThreadPool(2);
		AtomicBoolean running = new AtomicBoolean(true);
		List<String> failures = new CopyOnWriteArrayList<>();
		try {
			List<Future<?>> loops = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				loops.add(callers.submit(() -> {
					try (McpSyncClient client = client("crm:lookup:call")) {
						while (running.get()) {
							CallToolResult result = call(client, "crm_lookup", Map.of("query", "q"));
							if (Boolean.TRUE.equals(result.isError())) {
								failures.add(String.valueOf(result.structuredContent()));
							}
						}
					}
					return null;
				}));
			}
			UpstreamStatus added = this.gateway.add(UpstreamDefinition.of("helpdesk",
					URI.create("http://127.0.0.1:" + UpstreamTestServer.port(tickets) + "/mcp"),
					UpstreamDefinition.Transport.STREAMABLE, "The same ticket system", List.of("open_*"), List.of(),
					Map.of(), DownstreamAuth.none(), DownstreamAuth.none()));
			assertThat(added.up()).isTrue();
			// open_ticket now exists twice: both are prefixed.
			assertThat(names(watcher)).contains("helpdesk_open_ticket", "tickets_open_ticket")
				.doesNotContain("open_ticket", "helpdesk_lookup");
			assertThat(text(call(watcher, "helpdesk_open_ticket", Map.of("title", "t")))).contains("opened:t");
			await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > 0);

			assertThat(this.gateway.remove("helpdesk")).isTrue();
			assertThat(names(watcher)).contains("open_ticket").doesNotContain("helpdesk_open_ticket", "tickets_open_ticket");
			running.set(false);
			for (Future<?> loop : loops) {
				loop.get(30, TimeUnit.SECONDS);
			}
			assertThat(failures).isEmpty();
		}
		finally {
			running.set(false);
			this.gateway.remove("helpdesk");
			callers.shutdownNow();
			watcher.close();
		}
	}

	private static TcpProxy proxy(int port) {
		try {
			return new TcpProxy(port);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Events implements ToolCallListener {

		final List<ToolCallEvent> calls = new CopyOnWriteArrayList<>();

		@Override
		public void onToolCall(ToolCallEvent event) {
			this.calls.add(event);
		}
	}

}
