package dev.mcpgovernance.it;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rate limits through the MCP Java SDK's client on the STATELESS protocol (the one for several
 * replicas), memory store. Limits are per day where the test chooses them, so nothing refills while
 * it runs; each test uses keys of its own.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STATELESS",
				"spring.datasource.url=jdbc:h2:mem:ratelimit-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.rate-limit.tools[orders\\:order\\:cancel]=1/day",
				"mcp.governance.rate-limit.budget=4/day" })
class RateLimitIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private String key(Integer rpm, String... scopes) {
		return this.apiKeys.create("owner", null, ScopeSet.parse(List.of(scopes)), rpm, null).secret();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(CallToolResult result) {
		return (Map<String, Object>) error(result).get("details");
	}

	private static long retryAfter(CallToolResult result) {
		return ((Number) details(result).get("retry_after_s")).longValue();
	}

	@Test
	void callerOverItsRpmGets429WithRetryAfterBeforeDispatch() throws Exception {
		String key = key(3, "orders:*:read");
		for (int i = 0; i < 3; i++) {
			assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", key)
				.statusCode()).isEqualTo(200);
		}
		HttpResponse<String> refused = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(),
				"X-API-Key", key);
		assertThat(refused.statusCode()).isEqualTo(429);
		long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
		// 3 a minute, refilled greedily: the next request is due within 20 seconds.
		assertThat(retryAfter).isBetween(1L, 20L);
		JsonNode body = JSON.readTree(refused.body());
		assertThat(body.get("error_code").asString()).isEqualTo("rate_limited");
		assertThat(body.at("/details/retry_after_s").asLong()).isEqualTo(retryAfter);
		// Refused before the JSON-RPC checks: even a malformed body gets 429, not a parse error.
		assertThat(McpTestClient.post(this.port, "/mcp", "{not json", "X-API-Key", key).statusCode()).isEqualTo(429);
		// Another caller is not affected.
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key",
				key(3, "orders:*:read"))
			.statusCode()).isEqualTo(200);
	}

	@Test
	void anMcpClientIsCutOffOnceItsKeyIsOverItsRpm() throws Exception {
		String key = key(4, "orders:*:read");
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			assertThatThrownBy(() -> {
				for (int i = 0; i < 4; i++) {
					call(client, "get_order", Map.of("orderId", "o-1"));
				}
			}).isNotNull();
		}
		HttpResponse<String> refused = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(),
				"X-API-Key", key);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
	}

	@Test
	void annotatedToolLimitsHoldPerCallerAndForAllCallers() {
		try (McpSyncClient first = McpTestClient.streamable(this.port, "X-API-Key", key(null, "orders:ping:read"));
				McpSyncClient second = McpTestClient.streamable(this.port, "X-API-Key", key(null, "orders:ping:read"))) {
			assertThat(call(first, "limited_ping", Map.of()).isError()).isFalse();
			assertThat(call(first, "limited_ping", Map.of()).isError()).isFalse();
			CallToolResult perCaller = call(first, "limited_ping", Map.of());
			assertThat(perCaller.isError()).isTrue();
			assertThat(error(perCaller)).containsEntry("error_code", "rate_limited");
			assertThat(details(perCaller)).containsEntry("limit", "tool_per_caller");
			assertThat(retryAfter(perCaller)).isPositive();
			assertThat(((TextContent) perCaller.content().get(0)).text()).contains("\"error_code\":\"rate_limited\"")
				.contains("\"retry_after_s\":");

			// Three calls a day for everyone: the second caller gets the one left.
			assertThat(call(second, "limited_ping", Map.of()).isError()).isFalse();
			CallToolResult global = call(second, "limited_ping", Map.of());
			assertThat(details(global)).containsEntry("limit", "tool_global");
			assertThat(retryAfter(global)).isPositive();
		}
	}

	@Test
	void configuredToolLimitIsKeyedByTheRequiredScope() {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key(null, "orders:order:*"))) {
			assertThat(call(client, "cancel_order", Map.of("orderId", "o-1")).isError()).isFalse();
			CallToolResult refused = call(client, "cancel_order", Map.of("orderId", "o-2"));
			assertThat(error(refused)).containsEntry("error_code", "rate_limited");
			// 1 a day: the next call is due in about a day.
			assertThat(retryAfter(refused)).isBetween(86_000L, 86_400L);
		}
	}

	@Test
	void dailyBudgetStopsARunawayLoop() {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key(null, "orders:*:read"))) {
			for (int i = 0; i < 4; i++) {
				assertThat(call(client, "get_order", Map.of("orderId", "o-" + i)).isError()).as("call %d", i).isFalse();
			}
			CallToolResult spent = call(client, "get_order", Map.of("orderId", "o-5"));
			assertThat(error(spent)).containsEntry("error_code", "rate_limited");
			assertThat(details(spent)).containsEntry("limit", "budget");
		}
	}

	@Test
	void aCallRefusedForScopeDoesNotSpendTheBudget() {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key(null, "orders:*:read"))) {
			for (int i = 0; i < 6; i++) {
				assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
						"forbidden");
			}
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
	}

}
