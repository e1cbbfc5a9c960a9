package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.resource.GovernedPrompt;
import dev.mcpgovernance.resource.GovernedResource;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.OrderTestTools;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.annotation.McpArg;
import org.springframework.ai.mcp.annotation.McpPrompt;
import org.springframework.ai.mcp.annotation.McpResource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI 2.0's {@code @McpResource} and {@code @McpPrompt} methods beside {@code @GovernedTool}
 * {@code @McpTool} methods in one governed application: the starter keeps Spring AI serving them,
 * governed by {@code @GovernedResource} and {@code @GovernedPrompt}, to a caller holding their scope,
 * the tools stay governed, and without a key no request of any kind is served.
 */
@SpringBootTest(classes = McpAnnotationsBesideGovernanceIntegrationTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:annotations-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class McpAnnotationsBesideGovernanceIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private McpSyncClient client(String... scopes) {
		String key = this.apiKeys.create("catalog-reader", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	@Test
	void resourcesAndPromptsAreServedBesideGovernedTools() {
		try (McpSyncClient client = client("orders:order:read")) {
			ReadResourceResult item = client.readResource(new ReadResourceRequest("catalog://items/A-1"));
			assertThat(((TextResourceContents) item.contents().get(0)).text()).isEqualTo("Item A-1: green tea");

			GetPromptResult prompt = client.getPrompt(new GetPromptRequest("describe_item", Map.of("sku", "A-1")));
			assertThat(((TextContent) prompt.messages().get(0).content()).text()).contains("A-1");

			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
					"forbidden");
		}
	}

	@Test
	void withoutAKeyNeitherAResourceNorAPromptIsServed() throws Exception {
		var resource = McpTestClient.post(this.port, "/mcp",
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":\"catalog://items/A-1\"}}");
		var prompt = McpTestClient.post(this.port, "/mcp",
				"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"prompts/get\",\"params\":{\"name\":\"describe_item\","
						+ "\"arguments\":{\"sku\":\"A-1\"}}}");

		assertThat(resource.statusCode()).isEqualTo(401);
		assertThat(resource.body()).doesNotContain("green tea");
		assertThat(prompt.statusCode()).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ OrderTestTools.class, Catalog.class })
	static class App {

	}

	@Component
	static class Catalog {

		@McpResource(uri = "catalog://items/{sku}", name = "catalog_item", description = "One catalog item")
		@GovernedResource(domain = "orders", resource = "order")
		public String item(String sku) {
			return "Item " + sku + ": green tea";
		}

		@McpPrompt(name = "describe_item", description = "Asks for a description of one item")
		@GovernedPrompt(domain = "orders", resource = "order")
		public GetPromptResult describe(@McpArg(name = "sku", description = "The item", required = true) String sku) {
			return new GetPromptResult("Describe an item",
					List.of(new PromptMessage(Role.USER, new TextContent("Describe item " + sku + "."))));
		}

	}

}
