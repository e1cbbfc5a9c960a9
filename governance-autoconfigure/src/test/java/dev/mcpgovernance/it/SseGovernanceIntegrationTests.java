package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

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

/**
 * The legacy SSE protocol serves two endpoints (the event stream and the message endpoint); both
 * must refuse an unauthenticated caller, or the second one is a bypass.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=SSE", "spring.datasource.url=jdbc:h2:mem:sse-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class SseGovernanceIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Test
	void noEndpointAnswersAnUnauthenticatedCaller() throws Exception {
		assertThat(McpTestClient.get(this.port, "/sse").statusCode()).isEqualTo(401);
		var message = McpTestClient.post(this.port, "/mcp/message?sessionId=any", McpTestClient.initializeBody());
		assertThat(message.statusCode()).isEqualTo(401);
		assertThat(message.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("resource_metadata=");
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody()).statusCode()).isEqualTo(401);
	}

	@Test
	void messagesOfAnOpenStreamStillNeedTheKey() throws Exception {
		var created = this.apiKeys.create("erin", null, ScopeSet.parse(List.of("orders:*:read")), null, null);
		try (McpSyncClient client = McpTestClient.sse(this.port, "X-API-Key", created.secret())) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
		// A session id learnt from someone else's stream is worth nothing without a key.
		var stolen = McpTestClient.post(this.port, "/mcp/message?sessionId=00000000-0000-0000-0000-000000000000",
				"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
		assertThat(stolen.statusCode()).isEqualTo(401);
	}

	@Test
	void callerReachesTheHandlerAndScopesApply() {
		var created = this.apiKeys.create("frank", null, ScopeSet.parse(List.of("inventory:item:read", "orders:*:read")),
				null, null);
		try (McpSyncClient client = McpTestClient.sse(this.port, "Authorization", "Bearer " + created.secret())) {
			CallToolResult whoami = call(client, "whoami", Map.of());
			assertThat(((TextContent) whoami.content().get(0)).text())
				.startsWith("\"frank|" + created.key().id() + "|http|");
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
					"forbidden");
		}
	}

}
