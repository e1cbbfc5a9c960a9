package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.GovernedTool;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.McpTestClient.text;
import static dev.mcpgovernance.it.McpTestClient.toolNames;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of flaw behind CVE-2026-59318 (a tool outside what was offered gets dispatched), tried
 * against this server's own tools: a tool a caller was not shown — its scope is missing, it was
 * removed from the running server, or its name differs from a real one only in case, a prefix or a
 * suffix — is called by name with a direct {@code tools/call} and with progressive discovery's
 * {@code execute_tool}. Every attempt must be refused, and the tool's own counter proves it never
 * ran; a caller that may call the tool runs it once, so the counter is known to count. The gateway's
 * upstream tools are tried the same way in {@code GatewayHiddenToolDispatchIntegrationTests}.
 */
class HiddenToolDispatchIntegrationTests {

	/** Shown to the reader; its name is the base of the case, prefix and suffix variants. */
	static final String READ = "read_ledger";

	/** Needs {@code ledger:entry:purge}, which the reader does not hold. */
	static final String PURGE = "purge_ledger";

	/** Shown to the reader until a test removes it from the running server. */
	static final String RETIRED = "retired_report";

	/**
	 * Names nobody was shown that look like one that exists: other case, the domain as a prefix (as
	 * the gateway names colliding tools), a shorter or longer name, a trailing NUL, a Cyrillic "е" in
	 * place of the Latin "e".
	 */
	static final List<String> LOOKALIKES = List.of("READ_LEDGER", "Read_Ledger", "read_Ledger", "PURGE_LEDGER",
			"Purge_Ledger", "ledger_read_ledger", "ledger_purge_ledger", "read_ledge", "read_", "read_ledger_",
			"read_ledgers", "purge_ledger_", "purge", "purge_ledger\u0000", "read_ledg\u0435r");

	/**
	 * The hidden tool's name in white space. {@code tools/call} matches names exactly; {@code execute_tool}
	 * trims its {@code name} argument, so there these are the tool itself, refused by its scope check.
	 */
	static final List<String> PADDED = List.of(" purge_ledger", "purge_ledger ", "\tpurge_ledger\n");

	static final Map<String, Object> ARGUMENTS = Map.of("account", "a-1");

	static String reader(ApiKeyManager apiKeys) {
		return apiKeys.create("reader", null, ScopeSet.parse(List.of("ledger:entry:read", "ledger:report:read")), null,
				null).secret();
	}

	static String ledgerAdmin(ApiKeyManager apiKeys) {
		return apiKeys.create("ledger-admin", null, ScopeSet.parse(List.of("ledger:*:*")), null, null).secret();
	}

	static String refusal(McpSyncClient client, String tool) {
		return McpTestClient.refusal(client, tool, ARGUMENTS);
	}

	static List<String> concat(List<String> first, List<String> second) {
		return Stream.concat(first.stream(), second.stream()).toList();
	}

	static CallToolResult execute(McpSyncClient client, String tool) {
		return call(client, "execute_tool", Map.of("name", tool, "arguments", ARGUMENTS));
	}

	/** The tools a test hides, each counting the times it really ran. */
	public static class LedgerTools {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		@McpTool(name = READ, description = "Read an account's ledger")
		@GovernedTool(domain = "ledger", resource = "entry", action = "read")
		public String readLedger(@McpToolParam(description = "account") String account) {
			return ran(READ, account);
		}

		@McpTool(name = PURGE, description = "Purge an account's ledger")
		@GovernedTool(domain = "ledger", resource = "entry", action = "purge")
		public String purgeLedger(@McpToolParam(description = "account") String account) {
			return ran(PURGE, account);
		}

		@McpTool(name = RETIRED, description = "A report that is withdrawn at run time")
		@GovernedTool(domain = "ledger", resource = "report", action = "read")
		public String retiredReport(@McpToolParam(description = "account") String account) {
			return ran(RETIRED, account);
		}

		private String ran(String tool, String account) {
			this.runs.computeIfAbsent(tool, (name) -> new AtomicInteger()).incrementAndGet();
			return tool + " ran for " + account;
		}

		int runs(String tool) {
			AtomicInteger count = this.runs.get(tool);
			return (count != null) ? count.get() : 0;
		}

		Map<String, Integer> snapshot() {
			return Map.of(READ, runs(READ), PURGE, runs(PURGE), RETIRED, runs(RETIRED));
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.datasource.url=jdbc:h2:mem:hidden-direct;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	@Import(LedgerTools.class)
	class DirectToolsCall {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		LedgerTools tools;

		@Autowired
		McpSyncServer server;

		McpSyncClient connect(String key) {
			return McpTestClient.streamable(this.port, "X-API-Key", key);
		}

		@Test
		void aToolTheCallerLacksTheScopeForIsNotListedAndDoesNotRun() {
			try (McpSyncClient client = connect(reader(this.apiKeys))) {
				assertThat(toolNames(client)).contains(READ).doesNotContain(PURGE);
				assertThat(refusal(client, PURGE)).isEqualTo("forbidden");
			}
			assertThat(this.tools.runs(PURGE)).isZero();
			try (McpSyncClient admin = connect(ledgerAdmin(this.apiKeys))) {
				assertThat(text(call(admin, PURGE, ARGUMENTS))).isEqualTo("purge_ledger ran for a-1");
			}
			assertThat(this.tools.runs(PURGE)).isOne();
		}

		@Test
		void aNameThatOnlyLooksLikeAToolIsNotListedAndRunsNothing() {
			Map<String, Integer> before = this.tools.snapshot();
			try (McpSyncClient client = connect(ledgerAdmin(this.apiKeys))) {
				assertThat(toolNames(client)).doesNotContainAnyElementsOf(LOOKALIKES);
				for (String name : concat(LOOKALIKES, PADDED)) {
					// The SDK server has no tool by that name: Invalid params, before any governance.
					assertThat(refusal(client, name)).as(name).isEqualTo("json-rpc -32602");
				}
			}
			assertThat(this.tools.snapshot()).isEqualTo(before);
		}

		@Test
		void aToolRemovedFromTheRunningServerIsNotListedAndDoesNotRun() {
			try (McpSyncClient client = connect(reader(this.apiKeys))) {
				assertThat(toolNames(client)).contains(RETIRED);
				this.server.removeTool(RETIRED);
				assertThat(toolNames(client)).doesNotContain(RETIRED);
				assertThat(refusal(client, RETIRED)).isEqualTo("json-rpc -32602");
			}
			assertThat(this.tools.runs(RETIRED)).isZero();
		}

	}

	/**
	 * With ungoverned tools allowed, a name the registry does not know passes the scope check as an
	 * ungoverned tool: only an exact match in the server's dispatch stands between a lookalike name
	 * and the real tool.
	 */
	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.exposure=allow-ungoverned",
					"spring.datasource.url=jdbc:h2:mem:hidden-ungoverned;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	@Import(LedgerTools.class)
	class DirectToolsCallAllowingUngoverned {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		LedgerTools tools;

		@Test
		void aNameThatOnlyLooksLikeAToolIsNotListedAndRunsNothing() {
			Map<String, Integer> before = this.tools.snapshot();
			try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", reader(this.apiKeys))) {
				assertThat(toolNames(client)).contains(READ, "ungoverned_echo").doesNotContainAnyElementsOf(LOOKALIKES);
				for (String name : concat(LOOKALIKES, PADDED)) {
					assertThat(refusal(client, name)).as(name).isEqualTo("json-rpc -32602");
				}
				assertThat(refusal(client, PURGE)).isEqualTo("forbidden");
			}
			assertThat(this.tools.snapshot()).isEqualTo(before);
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.discovery.mode=progressive",
					"spring.datasource.url=jdbc:h2:mem:hidden-progressive;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	@Import(LedgerTools.class)
	class ProgressiveExecuteTool {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		LedgerTools tools;

		@Autowired
		McpSyncServer server;

		McpSyncClient connect(String key) {
			return McpTestClient.streamable(this.port, "X-API-Key", key);
		}

		static String discoverLedger(McpSyncClient client) {
			return text(call(client, "discover_tools", Map.of("domain", "ledger")));
		}

		@Test
		void aToolTheCallerLacksTheScopeForIsNotDiscoveredAndDoesNotRun() {
			try (McpSyncClient client = connect(reader(this.apiKeys))) {
				assertThat(discoverLedger(client)).contains("\"" + READ + "\"").doesNotContain(PURGE);
				assertThat(error(execute(client, PURGE))).containsEntry("error_code", "tool_not_found");
				assertThat(refusal(client, PURGE)).isEqualTo("forbidden");
			}
			assertThat(this.tools.runs(PURGE)).isZero();
			try (McpSyncClient admin = connect(ledgerAdmin(this.apiKeys))) {
				assertThat(text(execute(admin, PURGE))).isEqualTo("purge_ledger ran for a-1");
			}
			assertThat(this.tools.runs(PURGE)).isOne();
		}

		@Test
		void aNameThatOnlyLooksLikeAToolIsNotDiscoveredAndRunsNothing() {
			Map<String, Integer> before = this.tools.snapshot();
			try (McpSyncClient client = connect(ledgerAdmin(this.apiKeys))) {
				String discovered = discoverLedger(client);
				for (String name : LOOKALIKES) {
					assertThat(discovered).doesNotContain("\"" + name + "\"");
					assertThat(error(execute(client, name))).as(name).containsEntry("error_code", "tool_not_found");
				}
			}
			try (McpSyncClient client = connect(reader(this.apiKeys))) {
				for (String name : PADDED) {
					assertThat(error(execute(client, name))).as(name).containsEntry("error_code", "tool_not_found");
				}
			}
			assertThat(this.tools.snapshot()).isEqualTo(before);
		}

		@Test
		void aToolRemovedFromTheRunningServerIsNotDiscoveredAndDoesNotRun() {
			try (McpSyncClient client = connect(reader(this.apiKeys))) {
				assertThat(discoverLedger(client)).contains("\"" + RETIRED + "\"");
				this.server.removeTool(RETIRED);
				assertThat(discoverLedger(client)).doesNotContain(RETIRED);
				assertThat(error(execute(client, RETIRED))).containsEntry("error_code", "tool_not_found");
				assertThat(error(call(client, "get_tool_schema", Map.of("name", RETIRED)))).containsEntry("error_code",
						"tool_not_found");
			}
			assertThat(this.tools.runs(RETIRED)).isZero();
		}

	}

}
