package dev.mcpgovernance.it.connector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpgovernance.connector.openapi.OpenApiConnectorsHealthIndicator;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connectors' API calls go through the adapters' Resilience4j (adapter {@code openapi-<connector>}),
 * seen from a real MCP client against a real upstream: transient answers are retried, the caller's
 * 4xx neither retried nor counted, and an API behind an open breaker is no longer called.
 * Two connectors over the same upstream keep the breaker scenario apart from the retry tests:
 * {@code petstore} (breaker that cannot open) and {@code flaky} (breaker that opens at 2 failures in 3 calls).
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:connector-resilience-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.connectors.petstore.spec=classpath:openapi/petstore3.json",
				"mcp.governance.connectors.petstore.domain=petstore",
				"mcp.governance.connectors.petstore.include=getPetById",
				"mcp.governance.connectors.petstore.names.getPetById=get_pet",
				"mcp.governance.connectors.flaky.spec=classpath:openapi/petstore3.json",
				"mcp.governance.connectors.flaky.domain=flaky",
				"mcp.governance.connectors.flaky.include=getPetById",
				"mcp.governance.connectors.flaky.names.getPetById=flaky_get_pet",
				"mcp.governance.connectors.gone.spec=classpath:openapi/petstore3.json",
				"mcp.governance.connectors.gone.domain=gone",
				"mcp.governance.connectors.gone.include=getPetById",
				"mcp.governance.connectors.gone.names.getPetById=gone_get_pet",
				"resilience4j.retry.instances.openapi-gone.max-attempts=3",
				"resilience4j.retry.instances.openapi-gone.wait-duration=10ms",
				"resilience4j.retry.instances.openapi-gone.retry-exception-predicate=dev.mcpgovernance.adapter.TransientFailure",
				"resilience4j.retry.instances.openapi-petstore.max-attempts=3",
				"resilience4j.retry.instances.openapi-petstore.wait-duration=10ms",
				"resilience4j.retry.instances.openapi-petstore.retry-exception-predicate=dev.mcpgovernance.adapter.TransientFailure",
				"resilience4j.circuitbreaker.instances.openapi-petstore.minimum-number-of-calls=1000",
				"resilience4j.circuitbreaker.instances.openapi-petstore.sliding-window-size=1000",
				"resilience4j.retry.instances.openapi-flaky.max-attempts=2",
				"resilience4j.retry.instances.openapi-flaky.wait-duration=10ms",
				"resilience4j.retry.instances.openapi-flaky.retry-exception-predicate=dev.mcpgovernance.adapter.TransientFailure",
				"resilience4j.circuitbreaker.instances.openapi-flaky.sliding-window-size=3",
				"resilience4j.circuitbreaker.instances.openapi-flaky.minimum-number-of-calls=3",
				"resilience4j.circuitbreaker.instances.openapi-flaky.failure-rate-threshold=50",
				"resilience4j.circuitbreaker.instances.openapi-flaky.wait-duration-in-open-state=10m",
				"resilience4j.circuitbreaker.instances.openapi-flaky.ignore-exceptions=dev.mcpgovernance.tool.ToolErrorException,dev.mcpgovernance.tool.InvalidInput" })
class OpenApiConnectorResilienceIntegrationTests {

	static final PetstoreUpstream UPSTREAM = startUpstream();

	// Accepts connections and drops them at once: an I/O error for every attempt, counted here.
	static final ServerSocket DROPPING = startDropping();

	static final AtomicInteger DROPPED = new AtomicInteger();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	OpenApiConnectorsHealthIndicator health;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.connectors.petstore.base-url", UPSTREAM::baseUrl);
		registry.add("mcp.governance.connectors.flaky.base-url", UPSTREAM::baseUrl);
		registry.add("mcp.governance.connectors.gone.base-url", () -> "http://127.0.0.1:" + DROPPING.getLocalPort() + "/api/v3");
	}

	@AfterAll
	static void stopUpstream() throws IOException {
		UPSTREAM.close();
		DROPPING.close();
	}

	@BeforeEach
	void clear() {
		UPSTREAM.clear();
	}

	private McpSyncClient client() {
		String key = this.apiKeys.create("pet-owner", "Pet owner",
				ScopeSet.parse(List.of("petstore:pet:read", "flaky:pet:read", "gone:pet:read")),
				null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	@Test
	void serviceUnavailableIsRetriedThenAnUpstreamErrorWithTheStatusOnly() {
		try (McpSyncClient client = client()) {
			CallToolResult result = call(client, "get_pet", Map.of("petId", 503));
			assertThat(error(result)).containsEntry("error_code", "upstream_error")
				.containsEntry("details", Map.of("status", 503));
			assertThat(((TextContent) result.content().get(0)).text()).doesNotContain("PetDao", "petstore-db");
		}
		assertThat(UPSTREAM.requestsTo("/api/v3/pet/503")).isEqualTo(3);
	}

	@Test
	void droppedConnectionIsRetriedThenSourceUnavailable() {
		DROPPED.set(0);
		try (McpSyncClient client = client()) {
			CallToolResult result = call(client, "gone_get_pet", Map.of("petId", 1));
			assertThat(error(result)).containsEntry("error_code", "source_unavailable");
			assertThat(((TextContent) result.content().get(0)).text()).doesNotContain("127.0.0.1", "IOException");
		}
		// Three attempts; the JDK client itself may resend a GET once on a dropped connection (2 per attempt).
		assertThat(DROPPED.get()).isIn(3, 6);
	}

	@Test
	void callersMistakeIsNotRetried() {
		try (McpSyncClient client = client()) {
			CallToolResult result = call(client, "get_pet", Map.of("petId", 404));
			assertThat(error(result)).containsEntry("error_code", "upstream_error")
				.containsEntry("details", Map.of("status", 404));
		}
		assertThat(UPSTREAM.requestsTo("/api/v3/pet/404")).isEqualTo(1);
	}

	@Test
	void internalServerErrorIsNotRetried() {
		try (McpSyncClient client = client()) {
			CallToolResult result = call(client, "get_pet", Map.of("petId", 500));
			assertThat(error(result)).containsEntry("error_code", "upstream_error")
				.containsEntry("details", Map.of("status", 500));
		}
		assertThat(UPSTREAM.requestsTo("/api/v3/pet/500")).isEqualTo(1);
	}

	@Test
	@SuppressWarnings("unchecked")
	void breakerIgnoresTheCallersMistakesAndOpensOnFailuresThenKeepsCallsAway() {
		try (McpSyncClient client = client()) {
			for (int i = 0; i < 4; i++) {
				assertThat(error(call(client, "flaky_get_pet", Map.of("petId", 404)))).containsEntry("details",
						Map.of("status", 404));
			}
			assertThat(UPSTREAM.requestsTo("/api/v3/pet/404")).isEqualTo(4);
			assertThat((Map<String, Object>) this.health.health().getDetails().get("flaky"))
				.containsEntry("adapter", "openapi-flaky")
				.containsEntry("circuit_breaker", "closed");
			assertThat(error(call(client, "flaky_get_pet", Map.of("petId", 7)))).containsEntry("id", 7);

			// Two attempts (one retry), both failures: 2 of the last 3 calls failed and the breaker opens.
			assertThat(error(call(client, "flaky_get_pet", Map.of("petId", 503)))).containsEntry("error_code",
					"upstream_error");
			assertThat(UPSTREAM.requestsTo("/api/v3/pet/503")).isEqualTo(2);
			assertThat((Map<String, Object>) this.health.health().getDetails().get("flaky"))
				.containsEntry("circuit_breaker", "open");

			CallToolResult skipped = call(client, "flaky_get_pet", Map.of("petId", 8));
			assertThat(error(skipped)).containsEntry("error_code", "source_unavailable");
			assertThat((Map<String, Object>) error(skipped).get("details")).containsKey("retry_after_s");
			assertThat(((TextContent) skipped.content().get(0)).text()).doesNotContain("openapi-flaky", "127.0.0.1",
					"Breaker");
			assertThat(UPSTREAM.requestsTo("/api/v3/pet/8")).isZero();

			// The other connector has its own breaker.
			assertThat(error(call(client, "get_pet", Map.of("petId", 9)))).containsEntry("id", 9);
		}
	}

	private static ServerSocket startDropping() {
		try {
			ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(() -> {
				while (!server.isClosed()) {
					try (Socket socket = server.accept()) {
						DROPPED.incrementAndGet();
					}
					catch (IOException ex) {
						// Closed at the end of the class.
					}
				}
			}, "dropping-upstream");
			acceptor.setDaemon(true);
			acceptor.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static PetstoreUpstream startUpstream() {
		try {
			return PetstoreUpstream.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
