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

/** The STATELESS protocol: same endpoint, no session, and the caller still reaches every tool call. */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STATELESS",
				"spring.datasource.url=jdbc:h2:mem:stateless-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class StatelessGovernanceIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Test
	void noEndpointAnswersAnUnauthenticatedCaller() throws Exception {
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody()).statusCode()).isEqualTo(401);
		assertThat(McpTestClient.get(this.port, "/mcp").statusCode()).isEqualTo(401);
		assertThat(McpTestClient.get(this.port, "/sse").statusCode()).isEqualTo(401);
		assertThat(McpTestClient.post(this.port, "/mcp/message", "{}").statusCode()).isEqualTo(401);
	}

	@Test
	void callerReachesTheHandlerAndScopesApply() {
		var created = this.apiKeys.create("dora", null, ScopeSet.parse(List.of("inventory:*:read", "orders:*:read")),
				null, null);
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", created.secret())) {
			CallToolResult whoami = call(client, "whoami", Map.of());
			assertThat(((TextContent) whoami.content().get(0)).text()).startsWith("\"dora|" + created.key().id() + "|http|");
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("details",
					Map.of("required_scope", "orders:order:cancel"));
			assertThat(error(call(client, "leaky_failure", Map.of()))).containsEntry("error_code", "internal_error");
		}
	}

	@Test
	void invalidArgumentsAreRefusedByGovernanceAfterTheScopeCheckNotBeforeIt() {
		var reader = this.apiKeys.create("erin", null, ScopeSet.parse(List.of("orders:*:read")), null, null);
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", reader.secret())) {
			// Without the scope, the call is refused for the scope whatever its arguments.
			assertThat(error(call(client, "cancel_order", Map.of()))).containsEntry("error_code", "forbidden");
			// With it, the governor's envelope names the missing argument (the SDK's own check would answer first).
			assertThat(error(call(client, "get_order", Map.of()))).containsEntry("error_code", "invalid_input")
				.containsEntry("details", Map.of("field", "orderId"));
		}
	}

}
