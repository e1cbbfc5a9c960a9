package dev.mcpgovernance.it.discovery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.CustomerTestTools;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolErrorCode;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.discovery.PerCallerToolListIntegrationTests.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progressive discovery through real MCP clients: only the meta-tools are listed, everything they
 * answer is cut to the caller's scopes, a hidden tool gets exactly the answer a missing one gets, and
 * {@code execute_tool} runs the real tool under its own governance.
 */
class ProgressiveDiscoveryIntegrationTests {

	static final List<String> META_TOOLS = List.of("discover_tools", "execute_tool", "get_tool_schema");

	static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	static CallToolResult discover(McpSyncClient client, Map<String, Object> arguments) {
		return call(client, "discover_tools", arguments);
	}

	static CallToolResult schema(McpSyncClient client, String name) {
		return call(client, "get_tool_schema", Map.of("name", name));
	}

	static CallToolResult execute(McpSyncClient client, String name, Map<String, Object> arguments) {
		return call(client, "execute_tool", Map.of("name", name, "arguments", arguments));
	}

	/** The caller of most tests: orders and inventory readers, no crm, no cancel. */
	static String ordersAndInventoryReader(ApiKeyManager apiKeys) {
		return apiKeys.create("alice", null, ScopeSet.parse(List.of("orders:*:read", "inventory:item:read")), null, null)
			.secret();
	}

	/** What every protocol must show: the listing, the instructions, a search and a real call. */
	static void metaToolsWork(ApiKeyManager apiKeys, int port, BiFunction<Integer, String, McpSyncClient> connect) {
		try (McpSyncClient client = connect.apply(port, ordersAndInventoryReader(apiKeys))) {
			assertThat(names(client)).containsExactlyElementsOf(META_TOOLS);
			assertThat(client.getServerInstructions()).contains("Domains: crm, inventory, orders.")
				.contains("discover_tools", "get_tool_schema", "execute_tool");
			assertThat(text(discover(client, Map.of()))).isEqualTo(
					"{\"domains\":[{\"domain\":\"inventory\",\"tools\":3},{\"domain\":\"orders\",\"tools\":2}]}");
			CallToolResult order = execute(client, "get_order", Map.of("orderId", "o-1"));
			assertThat(order.isError()).isNotEqualTo(Boolean.TRUE);
			assertThat(text(order)).contains("open");
			assertThat(error(execute(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
					"tool_not_found");
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RecordingListener {

		@Bean
		List<ToolCallEvent> toolCallEvents() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		ToolCallListener recordingToolCallListener(List<ToolCallEvent> toolCallEvents) {
			return toolCallEvents::add;
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.discovery.mode=progressive",
					"spring.datasource.url=jdbc:h2:mem:progressive-streamable;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	@Import(RecordingListener.class)
	class OnStreamableHttp {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		List<ToolCallEvent> toolCallEvents;

		McpSyncClient connect(String key) {
			return McpTestClient.streamable(this.port, "X-API-Key", key);
		}

		@Test
		void listsTheMetaToolsAndNamesTheDomainsAndWorkflow() {
			metaToolsWork(this.apiKeys, this.port, (port, key) -> connect(key));
		}

		@Test
		void aDomainListsOnlyTheToolsTheCallerMayCall() {
			try (McpSyncClient client = connect(ordersAndInventoryReader(this.apiKeys))) {
				assertThat(text(discover(client, Map.of("domain", "orders")))).isEqualTo("{\"domain\":\"orders\",\"tools\":["
						+ "{\"name\":\"get_order\",\"description\":\"Get an order\"},"
						+ "{\"name\":\"limited_ping\",\"description\":\"Answers pong, at most twice a day per caller\"}]}");
				// A domain the caller has no tool in looks exactly like a domain that does not exist.
				assertThat(text(discover(client, Map.of("domain", "crm"))).replace("crm", "x"))
					.isEqualTo(text(discover(client, Map.of("domain", "billing"))).replace("billing", "x"));
			}
		}

		@Test
		void searchFindsVisibleToolsOnlyAndForgivesTypos() {
			try (McpSyncClient client = connect(ordersAndInventoryReader(this.apiKeys))) {
				String hits = text(discover(client, Map.of("query", "cancel order")));
				assertThat(hits).contains("\"get_order\"").doesNotContain("cancel_order");
				assertThat(text(discover(client, Map.of("query", "ordr")))).contains("\"get_order\"");
				assertThat(text(discover(client, Map.of("query", "customer")))).doesNotContain("get_customer");
			}
		}

		@Test
		void signaturesArePythonStyle() {
			try (McpSyncClient client = connect(ordersAndInventoryReader(this.apiKeys))) {
				String signatures = text(discover(client, Map.of("domain", "inventory", "format", "signatures")));
				assertThat(signatures).contains("count_items(kind: str, max: int) -> ")
					.contains("  # Count items of a kind")
					.contains("whoami() -> ");
			}
		}

		@Test
		void schemaOfAVisibleToolAndSuggestionsOnAMiss() {
			try (McpSyncClient client = connect(ordersAndInventoryReader(this.apiKeys))) {
				String schema = text(schema(client, "get_order"));
				assertThat(schema).contains("\"name\":\"get_order\"", "\"inputSchema\"", "\"orderId\"");
				assertThat(error(schema(client, "get_ordr"))).containsEntry("error_code", "tool_not_found")
					.containsEntry("details", Map.of("suggestions", List.of("get_order")));
			}
		}

		@Test
		void aHiddenToolIsAnsweredExactlyLikeAMissingOne() {
			try (McpSyncClient client = connect(ordersAndInventoryReader(this.apiKeys))) {
				CallToolResult hidden = schema(client, "cancel_order");
				CallToolResult missing = schema(client, "delete_order");
				assertThat(error(hidden)).containsEntry("error_code", "tool_not_found");
				assertThat(text(hidden)).isEqualTo(text(missing));
				assertThat(hidden).isEqualTo(missing);

				CallToolResult hiddenRun = execute(client, "cancel_order", Map.of("orderId", "o-1"));
				CallToolResult missingRun = execute(client, "delete_order", Map.of("orderId", "o-1"));
				assertThat(text(hiddenRun)).isEqualTo(text(missingRun)).isEqualTo(text(hidden));
				assertThat(hiddenRun).isEqualTo(missingRun);
				// The real tool never ran; the attempt is recorded as the direct call's refusal would be (issue 21).
				assertThat(this.toolCallEvents).filteredOn((event) -> event.toolName().equals("cancel_order"))
					.isNotEmpty()
					.allSatisfy((event) -> {
						assertThat(event.outcome()).isEqualTo(CallOutcome.DENIED);
						assertThat(event.errorCode()).isEqualTo(ToolErrorCode.FORBIDDEN);
					});
			}
		}

		@Test
		void executeRunsTheRealToolUnderItsOwnGovernance() {
			String key = ordersAndInventoryReader(this.apiKeys);
			try (McpSyncClient client = connect(key)) {
				this.toolCallEvents.clear();
				assertThat(text(execute(client, "get_order", Map.of("orderId", "o-7")))).contains("o-7");
				assertThat(this.toolCallEvents).singleElement().satisfies((event) -> {
					assertThat(event.toolName()).isEqualTo("get_order");
					assertThat(event.outcome()).isEqualTo(CallOutcome.OK);
					assertThat(event.caller().ownerId()).isEqualTo("alice");
				});
				// The real tool's argument check and its per-caller limit (2/day) apply.
				assertThat(error(execute(client, "get_order", Map.of()))).containsEntry("error_code", "invalid_input");
				execute(client, "limited_ping", Map.of());
				execute(client, "limited_ping", Map.of());
				assertThat(error(execute(client, "limited_ping", Map.of()))).containsEntry("error_code", "rate_limited");
				assertThat(this.toolCallEvents).filteredOn((event) -> event.toolName().equals("limited_ping"))
					.extracting(ToolCallEvent::outcome)
					.containsExactly(CallOutcome.OK, CallOutcome.OK, CallOutcome.RATE_LIMITED);
			}
		}

		@Test
		void executeRedactsTheRealToolsResult() {
			String key = this.apiKeys.create("dana", null, ScopeSet.parse(List.of("crm:*:*")), null, null).secret();
			try (McpSyncClient client = connect(key)) {
				CallToolResult customer = execute(client, "get_customer", Map.of("customerId", "c-1"));
				assertThat(customer.isError()).isNotEqualTo(Boolean.TRUE);
				assertThat(customer.toString()).doesNotContain(CustomerTestTools.EMAIL)
					.doesNotContain(CustomerTestTools.PASSWORD);
			}
		}

		@Test
		void aDirectCallOfARealToolStillWorks() {
			try (McpSyncClient client = connect(ordersAndInventoryReader(this.apiKeys))) {
				assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isNotEqualTo(Boolean.TRUE);
				assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
						"forbidden");
			}
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STATELESS", "mcp.governance.discovery.mode=progressive",
					"spring.datasource.url=jdbc:h2:mem:progressive-stateless;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnStateless {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void metaToolsWork() {
			ProgressiveDiscoveryIntegrationTests.metaToolsWork(this.apiKeys, this.port,
					(port, key) -> McpTestClient.streamable(port, "X-API-Key", key));
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=SSE", "mcp.governance.discovery.mode=progressive",
					"spring.datasource.url=jdbc:h2:mem:progressive-sse;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnSse {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void metaToolsWork() {
			ProgressiveDiscoveryIntegrationTests.metaToolsWork(this.apiKeys, this.port,
					(port, key) -> McpTestClient.sse(port, "X-API-Key", key));
		}

	}

}
