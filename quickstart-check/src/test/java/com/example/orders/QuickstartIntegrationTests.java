package com.example.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.apikey.ApiKeyManager.CreatedApiKey;
import dev.mcpgovernance.lint.GovernanceReporter;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quickstart app, started as its user starts it (the pepper in
 * {@code MCP_GOVERNANCE_API_KEYS_PEPPER}), called with a real MCP client: 401 without a key, the tool for
 * the declared key, {@code forbidden} for a key without its scope.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "MCP_GOVERNANCE_API_KEYS_PEPPER=" + QuickstartIntegrationTests.PEPPER)
class QuickstartIntegrationTests {

	/** Stands in for the environment variable: the placeholder resolves from any property source. */
	static final String PEPPER = "quickstart-check-pepper-for-this-test-only-0123456789";

	/** Made with GenerateApiKey under {@link #PEPPER}, as the README says; its hash is in application.yml. */
	static final String SUPPORT_BOT_KEY = "sk__TpNC3B5Ss6AXNdSwQp-nkrzv0vvlGjS4jDbxyHft28";

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	GovernanceReporter reporter;

	@Test
	void governsTheQuickstartTool() throws Exception {
		HttpResponse<String> anonymous = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying((challenge) -> assertThat(challenge)
			.startsWith("Bearer resource_metadata=\"http://127.0.0.1:" + this.port + "/.well-known/oauth-protected-resource\""));

		try (McpSyncClient supportBot = client(SUPPORT_BOT_KEY)) {
			assertThat(supportBot.listTools().tools()).extracting(Tool::name).containsExactly("get_order");
			CallToolResult result = supportBot.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001")));
			assertThat(result.isError()).isFalse();
			assertThat(result.content()).singleElement()
				.isInstanceOfSatisfying(TextContent.class, (text) -> assertThat(text.text()).contains("\"item\":\"Tea\""));
			assertThat(error(supportBot.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_0")))))
				.containsEntry("error_code", "invalid_input");
		}

		// A second key, without orders:order:read. Made at runtime (docs/configuration.md) rather than declared:
		// application.yml is the README's, with one key, and a test property cannot add to a YAML list.
		CreatedApiKey writer = this.apiKeys.create("order-writer", null, ScopeSet.parse(List.of("orders:order:create")),
				null, null);
		try (McpSyncClient orderWriter = client(writer.secret())) {
			assertThat(orderWriter.listTools().tools()).isEmpty();
			assertThat(error(orderWriter.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001")))))
				.containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "orders:order:read"));
		}
	}

	@Test
	void theReadmesToolPassesTheLint() {
		assertThat(this.reporter.report().findings()).isEmpty();
	}

	McpSyncClient client(String key) {
		McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port)
				.endpoint("/mcp")
				.httpRequestCustomizer((request, method, uri, body, context) -> request.header("X-API-Key", key))
				.build())
			.build();
		client.initialize();
		return client;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> error(CallToolResult result) {
		assertThat(result.isError()).isTrue();
		return (Map<String, Object>) result.structuredContent();
	}

}
