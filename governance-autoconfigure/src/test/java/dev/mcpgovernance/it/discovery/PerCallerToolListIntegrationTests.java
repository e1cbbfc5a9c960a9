package dev.mcpgovernance.it.discovery;

import java.util.List;
import java.util.function.BiFunction;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tools/list} shows each caller the tools its scopes allow, on every protocol, and follows
 * each caller: two callers with different scopes, interleaved on open sessions, each keep seeing
 * their own list (not the first caller's).
 */
class PerCallerToolListIntegrationTests {

	static final List<String> ORDERS_READER_TOOLS = List.of("get_order", "limited_ping");

	static final List<String> INVENTORY_AND_CRM_TOOLS = List.of("count_items", "get_customer", "get_customer_status",
			"leaky_failure", "whoami");

	static List<String> names(McpSyncClient client) {
		return client.listTools().tools().stream().map(Tool::name).sorted().toList();
	}

	static void eachCallerSeesOwnTools(ApiKeyManager apiKeys, int port,
			BiFunction<Integer, String, McpSyncClient> connect, List<String> extraForEveryone) {
		String ordersReader = apiKeys.create("alice", null, ScopeSet.parse(List.of("orders:*:read")), null, null).secret();
		String inventoryAndCrm = apiKeys
			.create("bob", null, ScopeSet.parse(List.of("inventory:*:read", "crm:*:*")), null, null)
			.secret();
		try (McpSyncClient alice = connect.apply(port, ordersReader);
				McpSyncClient bob = connect.apply(port, inventoryAndCrm)) {
			assertThat(names(alice)).containsExactlyElementsOf(sorted(ORDERS_READER_TOOLS, extraForEveryone));
			assertThat(names(bob)).containsExactlyElementsOf(sorted(INVENTORY_AND_CRM_TOOLS, extraForEveryone));
			assertThat(names(alice)).containsExactlyElementsOf(sorted(ORDERS_READER_TOOLS, extraForEveryone));
		}
		// A caller with no scope at all sees nothing but what the server allows everyone.
		String nobody = apiKeys.create("carol", null, ScopeSet.parse(List.of()), null, null).secret();
		try (McpSyncClient client = connect.apply(port, nobody)) {
			assertThat(names(client)).containsExactlyElementsOf(sorted(List.of(), extraForEveryone));
		}
	}

	private static List<String> sorted(List<String> tools, List<String> extra) {
		return java.util.stream.Stream.concat(tools.stream(), extra.stream()).sorted().toList();
	}

	static McpSyncClient streamable(int port, String key) {
		return McpTestClient.streamable(port, "X-API-Key", key);
	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.datasource.url=jdbc:h2:mem:list-streamable;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnStreamableHttp {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void eachCallerSeesTheToolsTheirScopesAllow() {
			eachCallerSeesOwnTools(this.apiKeys, this.port, PerCallerToolListIntegrationTests::streamable, List.of());
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STATELESS",
					"spring.datasource.url=jdbc:h2:mem:list-stateless;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnStateless {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void eachCallerSeesTheToolsTheirScopesAllow() {
			eachCallerSeesOwnTools(this.apiKeys, this.port, PerCallerToolListIntegrationTests::streamable, List.of());
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=SSE",
					"spring.datasource.url=jdbc:h2:mem:list-sse;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnSse {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void eachCallerSeesTheToolsTheirScopesAllow() {
			eachCallerSeesOwnTools(this.apiKeys, this.port,
					(port, key) -> McpTestClient.sse(port, "X-API-Key", key), List.of());
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.exposure=allow-ungoverned",
					"spring.datasource.url=jdbc:h2:mem:list-ungoverned;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class WithUngovernedToolsAllowed {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void ungovernedToolsStayListedForEveryone() {
			eachCallerSeesOwnTools(this.apiKeys, this.port, PerCallerToolListIntegrationTests::streamable,
					List.of("ungoverned_echo"));
		}

	}

}
