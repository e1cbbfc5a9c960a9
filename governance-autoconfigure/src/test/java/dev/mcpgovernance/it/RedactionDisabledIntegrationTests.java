package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.CustomerTestTools;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code mcp.governance.redaction.enabled=false} results pass untouched; this also proves that the
 * test tool really returns what {@link RedactionIntegrationTests} finds missing.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:redaction-off-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.redaction.enabled=false" })
class RedactionDisabledIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Test
	void resultsPassUntouched() throws Exception {
		String secret = this.apiKeys.create("crm-reader", null, ScopeSet.parse(List.of("crm:customer:read")), null, null)
			.secret();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", secret)) {
			CallToolResult result = call(client, "get_customer", Map.of("customerId", "cus_7"));

			assertThat(new ObjectMapper().writeValueAsString(result)).contains(CustomerTestTools.EMAIL)
				.contains(CustomerTestTools.CARD)
				.contains(CustomerTestTools.PASSWORD)
				.contains(CustomerTestTools.NOTE);
		}
	}

}
