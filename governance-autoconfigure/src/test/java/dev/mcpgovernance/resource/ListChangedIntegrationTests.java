package dev.mcpgovernance.resource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code list_changed} notifications respect the caller's view: two callers with different
 * scopes hold sessions through the MCP Java SDK client (streamable HTTP, and legacy SSE); a
 * resource, a prompt and a tool that both may see are added at run time and both are told (the
 * channel works); then one only the first may see is added and only the first is told. The second
 * caller's stream is ordered, so once it has been told of a further change both may see, a
 * notification of the hidden one would already have arrived.
 */
class ListChangedIntegrationTests {

	static final String READER_SCOPES = "inventory:item:read,inventory:item:call,orders:secret:read,orders:secret:call";

	static final String OTHER_SCOPES = "inventory:item:read,inventory:item:call";

	/** Counts of the list_changed notifications one client received, by list. */
	record Changes(AtomicInteger resources, AtomicInteger prompts, AtomicInteger tools) {

		Changes() {
			this(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
		}

	}

	abstract static class Scenario {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		McpSyncServer server;

		@Autowired
		GovernedResourceSpecifications specifications;

		@Autowired
		GovernedToolRegistry tools;

		@Autowired
		GovernedResourceRegistry resources;

		abstract McpClientTransport transport(String key);

		String key(String owner, String scopes) {
			return this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scopes.split(","))), null, null).secret();
		}

		McpSyncClient watching(String owner, String scopes, Changes changes) {
			McpSyncClient client = McpClient.sync(transport(key(owner, scopes)))
				.requestTimeout(Duration.ofSeconds(10))
				.resourcesChangeConsumer((resources) -> changes.resources().incrementAndGet())
				.promptsChangeConsumer((prompts) -> changes.prompts().incrementAndGet())
				.toolsChangeConsumer((tools) -> changes.tools().incrementAndGet())
				.build();
			client.initialize();
			return client;
		}

		/**
		 * Adds {@code shared} (both may see it), then {@code hidden} (only the reader), then
		 * {@code sharedAgain}: the reader is told of all three, the other of the shared ones only.
		 * @param add adds an item of the list under a name with the scope it requires
		 * @param remove removes an item again
		 * @param action the action of the scopes the items require ({@code read}, {@code call})
		 */
		void onlyTheCallerWhoMaySeeItIsTold(Function<Changes, AtomicInteger> list, BiConsumer<String, String> add,
				Consumer<String> remove, String action, String shared, String hidden, String sharedAgain) {
			Changes reader = new Changes();
			Changes other = new Changes();
			try (McpSyncClient readerClient = watching("list-reader", READER_SCOPES, reader);
					McpSyncClient otherClient = watching("list-other", OTHER_SCOPES, other)) {
				bothListening(list.apply(reader), list.apply(other), add, remove, action, shared);
				add.accept(shared, "inventory:item:" + action);
				await().atMost(Duration.ofSeconds(10)).until(() -> list.apply(reader).get() == 1 && list.apply(other).get() == 1);

				add.accept(hidden, "orders:secret:" + action);
				await().atMost(Duration.ofSeconds(10)).until(() -> list.apply(reader).get() == 2);

				add.accept(sharedAgain, "inventory:item:" + action);
				await().atMost(Duration.ofSeconds(10)).until(() -> list.apply(reader).get() == 3 && list.apply(other).get() >= 2);
				await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> list.apply(other).get() == 2);
				assertThat(list.apply(other).get()).as("changes the other caller was told of").isEqualTo(2);
			}
			finally {
				List.of(shared, hidden, sharedAgain).forEach(remove);
			}
		}

		/**
		 * Waits until both clients listen for the server's notifications: a client opens that stream
		 * after it has initialized, and the SDK drops a notification for a session without one. A
		 * probe both may see is added and removed until both have heard of it; then the counts start
		 * from zero.
		 */
		void bothListening(AtomicInteger reader, AtomicInteger other, BiConsumer<String, String> add,
				Consumer<String> remove, String action, String shared) {
			for (int attempt = 0; reader.get() == 0 || other.get() == 0; attempt++) {
				assertThat(attempt).as("probes until both clients listen").isLessThan(50);
				String probe = shared + "_probe" + attempt;
				add.accept(probe, "inventory:item:" + action);
				remove.accept(probe);
				long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
				while ((reader.get() == 0 || other.get() == 0) && System.nanoTime() < until) {
					LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
				}
			}
			// The probes' last notifications may still be on their way: count from zero once they are in.
			int[] seen = { -1, -1 };
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
				boolean settled = seen[0] == reader.get() && seen[1] == other.get();
				seen[0] = reader.get();
				seen[1] = other.get();
				return settled;
			});
			reader.set(0);
			other.set(0);
		}

		@Test
		void aResourceOnlyOneCallerMayReadIsAnnouncedToThatCallerAlone() {
			onlyTheCallerWhoMaySeeItIsTold(Changes::resources, this::addResource, (uri) -> {
				this.server.removeResource(uri);
				this.resources.unregister(GovernedKind.RESOURCE, uri);
			}, "read", "live://shared", "live://secret", "live://shared-again");
		}

		@Test
		void aPromptOnlyOneCallerMayGetIsAnnouncedToThatCallerAlone() {
			onlyTheCallerWhoMaySeeItIsTold(Changes::prompts, this::addPrompt, (name) -> {
				this.server.removePrompt(name);
				this.resources.unregister(GovernedKind.PROMPT, name);
			}, "read", "shared_prompt", "secret_prompt", "shared_prompt_again");
		}

		@Test
		void aToolOnlyOneCallerMayCallIsAnnouncedToThatCallerAlone() {
			onlyTheCallerWhoMaySeeItIsTold(Changes::tools, this::addTool, (name) -> {
				this.server.removeTool(name);
				this.tools.unregister(name);
			}, "call", "shared_tool", "secret_tool", "shared_tool_again");
		}

		void addResource(String uri, String scope) {
			this.resources.register(GovernedKind.RESOURCE, uri, Scope.parse(scope), true, "ListChangedIntegrationTests");
			this.server.addResource(this.specifications.governed(new SyncResourceSpecification(
					Resource.builder().uri(uri).name(uri).build(), (exchange, request) -> new ReadResourceResult(List.of()))));
		}

		void addPrompt(String name, String scope) {
			this.resources.register(GovernedKind.PROMPT, name, Scope.parse(scope), true, "ListChangedIntegrationTests");
			this.server.addPrompt(this.specifications.governed(new SyncPromptSpecification(
					new Prompt(name, "A prompt added at run time", List.of()),
					(exchange, request) -> new GetPromptResult(name, List.of()))));
		}

		void addTool(String name, String scope) {
			this.tools.register(new ToolPolicy(name, Scope.parse(scope), true, "ListChangedIntegrationTests"));
			Tool tool = Tool.builder()
				.name(name)
				.inputSchema(new JsonSchema("object", Map.of(), List.of(), null, null, null))
				.build();
			this.server.addTool(SyncToolSpecification.builder()
				.tool(tool)
				.callHandler((exchange, request) -> CallToolResult.builder().addTextContent("done").build())
				.build());
		}

	}

	@Nested
	@SpringBootTest(classes = ResourceTestApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.datasource.url=jdbc:h2:mem:list-changed-streamable;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class Streamable extends Scenario {

		@Override
		McpClientTransport transport(String key) {
			return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port)
				.endpoint("/mcp")
				.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
				.build();
		}

	}

	@Nested
	@SpringBootTest(classes = ResourceTestApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=SSE",
					"spring.datasource.url=jdbc:h2:mem:list-changed-sse;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class Sse extends Scenario {

		@Override
		McpClientTransport transport(String key) {
			return HttpClientSseClientTransport.builder("http://127.0.0.1:" + this.port)
				.sseEndpoint("/sse")
				.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
				.build();
		}

	}

}
