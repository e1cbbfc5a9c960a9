package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.CustomerTestTools;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/** Tool results redacted on their way out, seen by a real MCP client over streamable HTTP. */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:redaction-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class RedactionIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private McpSyncClient client() {
		String secret = this.apiKeys.create("crm-reader", null, ScopeSet.parse(List.of("crm:customer:read")), null, null)
			.secret();
		return McpTestClient.streamable(this.port, "X-API-Key", secret);
	}

	@Test
	void noSecretOrPersonalDataLeavesTheServerAndCleanFieldsAreIntact() throws Exception {
		try (McpSyncClient client = client()) {
			CallToolResult result = call(client, "get_customer", Map.of("customerId", "cus_7"));

			assertThat(result.isError()).isFalse();
			String everything = JSON.writeValueAsString(result);
			assertThat(everything).doesNotContain(CustomerTestTools.EMAIL)
				.doesNotContain(CustomerTestTools.CARD)
				.doesNotContain(CustomerTestTools.CARD.replace(" ", ""))
				.doesNotContain(CustomerTestTools.PASSWORD)
				.doesNotContain(CustomerTestTools.NOTE)
				.doesNotContain("0.87");

			JsonNode text = JSON.readTree(((TextContent) result.content().get(0)).text());
			JsonNode structured = JSON.valueToTree(result.structuredContent());
			for (JsonNode customer : List.of(text, structured)) {
				assertThat(customer.get("id").asString()).isEqualTo("cus_7");
				assertThat(customer.get("name").asString()).isEqualTo("Jane Doe");
				assertThat(customer.get("status").asString()).isEqualTo("active");
				assertThat(customer.at("/contact/note").asString()).isEqualTo("write to [REDACTED:email]");
				assertThat(customer.at("/contact/password").asString()).isEqualTo("[REDACTED]");
				assertThat(customer.at("/payments/0/method").asString()).isEqualTo("card [REDACTED:card]");
				assertThat(customer.at("/payments/0/amount").asDouble()).isEqualTo(12.5);
				assertThat(customer.get("customer_note").asString()).isEqualTo("[REDACTED]");
				assertThat(customer.get("Score_Internal").asString()).isEqualTo("[REDACTED]");
			}
			assertThat(((TextContent) result.content().get(1)).text())
				.isEqualTo("Reach Jane at [REDACTED:email], card [REDACTED:card].");
		}
	}

	@Test
	void aCleanResultReachesTheCallerByteForByte() {
		try (McpSyncClient client = client()) {
			CallToolResult result = call(client, "get_customer_status", Map.of("customerId", "cus_7"));

			assertThat(result.isError()).isFalse();
			assertThat(((TextContent) result.content().get(0)).text())
				.isEqualTo("{ \"id\" : \"cus_7\",  \"status\":\"active\", \"since\": 2019 }");
			assertThat(result.structuredContent()).isEqualTo(Map.of("status", "active"));
		}
	}

}
