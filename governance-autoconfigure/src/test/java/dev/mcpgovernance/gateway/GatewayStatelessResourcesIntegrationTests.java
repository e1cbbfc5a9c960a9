package dev.mcpgovernance.gateway;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.resource.ResourceTestApplication;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A stateless gateway governs the upstream's resource templates and prompts as the stateful one
 * does: listed and served to the caller with the scope, refused to others naming the scope.
 */
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STATELESS",
				"spring.datasource.url=jdbc:h2:mem:gateway-resources-stateless;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h" })
class GatewayStatelessResourcesIntegrationTests {

	private static final ConfigurableApplicationContext library = UpstreamTestServer.library();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.gateway.upstreams.library.url",
				() -> "http://127.0.0.1:" + UpstreamTestServer.port(library) + "/mcp");
	}

	@AfterAll
	static void stopUpstream() {
		library.close();
	}

	private McpSyncClient client(String... scopes) {
		String key = this.apiKeys.create("gw-stateless", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	@Test
	void theCallerWithTheScopeReadsAndGetsAndOthersAreRefusedNamingIt() {
		try (McpSyncClient reader = client("library:book:read", "library:review_book:read");
				McpSyncClient stranger = client("library:catalog:read")) {
			assertThat(reader.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.containsExactly("books://{isbn}");
			assertThat(((TextResourceContents) reader.readResource(new ReadResourceRequest("books://42")).contents().get(0))
				.text()).contains("Dune");
			assertThat(reader.listPrompts().prompts()).extracting(Prompt::name).containsExactly("review_book");
			assertThat(((TextContent) reader.getPrompt(new GetPromptRequest("review_book", Map.of("isbn", "42")))
				.messages()
				.get(0)
				.content()).text()).isEqualTo("review_book of 42");

			assertThat(stranger.listResourceTemplates().resourceTemplates()).isEmpty();
			McpError error = catchThrowableOfType(McpError.class,
					() -> stranger.readResource(new ReadResourceRequest("books://42")));
			assertThat(error).isNotNull();
			assertThat(error.getJsonRpcError().message()).contains("library:book:read");
		}
	}

	@Test
	void theCallerWithTheScopeGetsTheUpstreamsCompletionsAndOthersAreRefusedNamingIt() {
		CompleteRequest request = new CompleteRequest(new ResourceReference("books://{isbn}"),
				new CompleteRequest.CompleteArgument("isbn", "978-0553"), null, null);
		try (McpSyncClient reader = client("library:book:read");
				McpSyncClient stranger = client("library:catalog:read")) {
			assertThat(reader.completeCompletion(request).completion().values()).containsExactly("978-0553293357");

			McpError error = catchThrowableOfType(McpError.class, () -> stranger.completeCompletion(request));
			assertThat(error).isNotNull();
			assertThat(error.getJsonRpcError().message()).contains("library:book:read");
		}
	}

}
