package dev.mcpgovernance.resource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification;
import io.modelcontextprotocol.spec.McpSchema.SubscribeRequest;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The legacy SSE transport (one transport per session, decorated differently from streamable HTTP)
 * governs resources alike: lists cut down, reads, completions and subscriptions refused without the
 * scope, and a resource update delivered to the allowed subscriber only, through the MCP Java SDK
 * client.
 */
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=SSE",
				"spring.datasource.url=jdbc:h2:mem:resource-sse;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class SseResourceGovernanceIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	McpSyncServer server;

	String key(String... scopes) {
		return this.apiKeys.create("sse-resources", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	McpSyncClient subscribing(String key, List<List<ResourceContents>> updates) {
		HttpClientSseClientTransport transport = HttpClientSseClientTransport.builder("http://127.0.0.1:" + this.port)
			.sseEndpoint("/sse")
			.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
			.build();
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(10))
			.resourcesUpdateConsumer(updates::add)
			.build();
		client.initialize();
		return client;
	}

	static void refusedForScope(Runnable request) {
		assertThatThrownBy(request::run).isInstanceOfSatisfying(McpError.class, (error) -> {
			assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
			assertThat(error.getJsonRpcError().message()).contains("orders:order:read");
		});
	}

	@Test
	void aCallerWithoutTheScopeSeesNothingAndIsRefused() {
		try (McpSyncClient stranger = McpTestClient.sse(this.port, "X-API-Key", key("inventory:item:read"))) {
			assertThat(stranger.listResourceTemplates().resourceTemplates()).isEmpty();
			refusedForScope(() -> stranger.readResource(new ReadResourceRequest("orders://o-1")));
			refusedForScope(() -> stranger.completeCompletion(new CompleteRequest(
					new ResourceReference("orders://{orderId}"), new CompleteRequest.CompleteArgument("orderId", "o"))));
			refusedForScope(() -> stranger.subscribeResource(new SubscribeRequest("orders://o-1")));
		}
	}

	@Test
	void onlyTheAllowedSubscriberIsNotified() {
		List<List<ResourceContents>> readerUpdates = new CopyOnWriteArrayList<>();
		List<List<ResourceContents>> strangerUpdates = new CopyOnWriteArrayList<>();
		try (McpSyncClient reader = subscribing(key("orders:order:read"), readerUpdates);
				McpSyncClient stranger = subscribing(key("inventory:item:read"), strangerUpdates)) {
			reader.subscribeResource(new SubscribeRequest("orders://o-9"));
			refusedForScope(() -> stranger.subscribeResource(new SubscribeRequest("orders://o-9")));

			this.server.notifyResourcesUpdated(new ResourcesUpdatedNotification("orders://o-9"));

			await().atMost(Duration.ofSeconds(10)).until(() -> !readerUpdates.isEmpty());
			assertThat(((TextResourceContents) readerUpdates.get(0).get(0)).text()).contains("o-9");
			assertThat(strangerUpdates).isEmpty();
			assertThat(reader.readResource(new ReadResourceRequest("orders://o-9")).contents()).hasSize(1);
		}
	}

}
