package dev.mcpgovernance.resource;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stateless server governs resources, prompts and completions like the stateful one: its
 * specifications are wrapped and its transport decorator cuts the lists down and refuses
 * completions, through the MCP Java SDK client.
 */
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STATELESS",
				"spring.datasource.url=jdbc:h2:mem:resource-stateless;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class StatelessResourceGovernanceIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	McpSyncClient connect(String... scopes) {
		String key = this.apiKeys.create("stateless", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	static void refusedForScope(Runnable request) {
		assertThatThrownBy(request::run).isInstanceOfSatisfying(McpError.class, (error) -> {
			assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
			assertThat(error.getJsonRpcError().message()).contains("orders:order:read");
		});
	}

	@Test
	void aReaderReadsGetsAndCompletesAndSeesWhatItMayRead() {
		try (McpSyncClient reader = connect("orders:order:read")) {
			assertThat(reader.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.containsExactly("orders://{orderId}");
			assertThat(reader.listPrompts().prompts()).extracting(Prompt::name).containsExactly("summarize_order");
			assertThat(((TextResourceContents) reader.readResource(new ReadResourceRequest("orders://o-6"))
				.contents()
				.get(0)).text()).contains("o-6").doesNotContain("hunter2");
			assertThat(reader.getPrompt(new GetPromptRequest("summarize_order", Map.of("orderId", "o-6"))).messages())
				.hasSize(2);
			assertThat(reader.completeCompletion(new CompleteRequest(new PromptReference("summarize_order"),
					new CompleteRequest.CompleteArgument("orderId", "o-"))).completion().values()).contains("o-1");
		}
	}

	@Test
	void aCallerWithoutTheScopeSeesNothingAndIsRefused() {
		try (McpSyncClient stranger = connect("inventory:item:read")) {
			assertThat(stranger.listResourceTemplates().resourceTemplates()).isEmpty();
			assertThat(stranger.listPrompts().prompts()).isEmpty();
			refusedForScope(() -> stranger.readResource(new ReadResourceRequest("orders://o-6")));
			refusedForScope(() -> stranger.getPrompt(new GetPromptRequest("summarize_order", Map.of("orderId", "o-6"))));
			refusedForScope(() -> stranger.completeCompletion(new CompleteRequest(new PromptReference("summarize_order"),
					new CompleteRequest.CompleteArgument("orderId", "o-"))));
		}
	}

}
