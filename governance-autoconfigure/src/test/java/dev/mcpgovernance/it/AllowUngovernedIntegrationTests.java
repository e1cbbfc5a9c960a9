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

/** {@code mcp.governance.exposure=allow-ungoverned}: ungoverned tools open to any verified caller, governed ones unchanged. */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.exposure=allow-ungoverned",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class AllowUngovernedIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Test
	void ungovernedToolRunsForAnyVerifiedCallerWhileScopesStillHold() throws Exception {
		String key = this.apiKeys.create("ken", null, ScopeSet.parse(List.of("billing:*:read")), null, null).secret();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			CallToolResult echo = call(client, "ungoverned_echo", Map.of("text", "hi"));
			assertThat(echo.isError()).isFalse();
			assertThat(((TextContent) echo.content().get(0)).text()).isEqualTo("hi");
			assertThat(error(call(client, "get_order", Map.of("orderId", "o-1")))).containsEntry("error_code", "forbidden");
		}
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody()).statusCode()).isEqualTo(401);
	}

}
