package dev.mcpgovernance.gateway;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.McpTestClient.text;
import static dev.mcpgovernance.it.McpTestClient.toolNames;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of flaw behind CVE-2026-59318 (a tool outside what was offered gets dispatched), tried
 * against the gateway's upstream tools: a tool the caller was not shown — its scope is missing, a
 * deny glob hides it, its upstream was removed or stopped listing it, or its name differs from an
 * exposed one only in case, the domain prefix or a suffix — is called by name with a direct
 * {@code tools/call} and with progressive discovery's {@code execute_tool}. Every attempt must be
 * refused, and the upstream's own record of the {@code tools/call} requests it received proves that
 * none reached it; a caller that may call the tool reaches it, so the record is known to record.
 */
class GatewayHiddenToolDispatchIntegrationTests {

	static final Map<String, Object> ID_SCHEMA = Map.of("type", "object", "properties",
			Map.of("id", Map.of("type", "string")));

	static final Map<String, Object> ARGUMENTS = Map.of("id", "i-1");

	static final SseRetryUpstream billing = upstream("get_invoice", "void_invoice", "delete_invoice");

	/**
	 * Names of billing tools nobody was shown: other case, the domain prefix the gateway gives
	 * colliding tools, a shorter or longer name.
	 */
	static final List<String> LOOKALIKES = List.of("GET_INVOICE", "Get_Invoice", "VOID_INVOICE", "Delete_Invoice",
			"billing_get_invoice", "billing_void_invoice", "get_invoic", "get_", "get_invoice_", "get_invoices",
			"invoice", "billing");

	/** The denied tool, under its own name and under the name a collision would give it. */
	static final List<String> DENIED = List.of("delete_invoice", "billing_delete_invoice");

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.upstreams.billing.url", billing::url);
	}

	@AfterAll
	static void stopUpstream() {
		billing.close();
	}

	static SseRetryUpstream upstream(String... tools) {
		try {
			return new SseRetryUpstream(List.of(tools)
				.stream()
				.map((name) -> Map.<String, Object>of("name", name, "description", name, "inputSchema", ID_SCHEMA))
				.toList());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An upstream added at run time, under the domain {@code archive}. */
	static UpstreamDefinition archive(SseRetryUpstream upstream) {
		return UpstreamDefinition.of("archive", URI.create(upstream.url()), UpstreamDefinition.Transport.STREAMABLE,
				"Closed years", List.of(), List.of(), Map.of(), DownstreamAuth.none(), DownstreamAuth.none());
	}

	static String key(ApiKeyManager apiKeys, String... scopes) {
		return apiKeys.create("billing-caller", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	static String refusal(McpSyncClient client, String tool) {
		return McpTestClient.refusal(client, tool, ARGUMENTS);
	}

	static CallToolResult execute(McpSyncClient client, String tool) {
		return call(client, "execute_tool", Map.of("name", tool, "arguments", ARGUMENTS));
	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.datasource.url=jdbc:h2:mem:gateway-hidden-direct;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					"mcp.governance.gateway.refresh-interval=1h", "mcp.governance.upstreams.billing.denied-tools=delete_*",
					"mcp.governance.upstreams.billing.scopes.[get_*]=invoice:read",
					"mcp.governance.upstreams.billing.scopes.[void_*]=invoice:void" })
	class DirectToolsCall {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		McpGateway gateway;

		McpSyncClient connect(String... scopes) {
			return McpTestClient.streamable(this.port, "X-API-Key", key(this.apiKeys, scopes));
		}

		@Test
		void anUpstreamToolTheCallerLacksTheScopeForIsNotListedAndNotCalled() {
			int before = billing.calls.size();
			try (McpSyncClient reader = connect("billing:invoice:read")) {
				assertThat(toolNames(reader)).contains("get_invoice").doesNotContain("void_invoice");
				assertThat(refusal(reader, "void_invoice")).isEqualTo("forbidden");
			}
			assertThat(billing.calls).hasSize(before);
			try (McpSyncClient voider = connect("billing:invoice:void")) {
				assertThat(text(call(voider, "void_invoice", ARGUMENTS))).startsWith("void_invoice ran");
			}
			assertThat(billing.calls.subList(before, billing.calls.size())).containsExactly("void_invoice");
		}

		@Test
		void aDeniedOrLookalikeNameIsNotListedAndNeverReachesTheUpstream() {
			List<String> before = List.copyOf(billing.calls);
			try (McpSyncClient admin = connect("billing:*:*")) {
				assertThat(toolNames(admin)).contains("get_invoice", "void_invoice")
					.doesNotContainAnyElementsOf(DENIED)
					.doesNotContainAnyElementsOf(LOOKALIKES);
				for (String name : DENIED) {
					assertThat(refusal(admin, name)).as(name).isEqualTo("json-rpc -32602");
				}
				for (String name : LOOKALIKES) {
					assertThat(refusal(admin, name)).as(name).isEqualTo("json-rpc -32602");
				}
			}
			assertThat(billing.calls).isEqualTo(before);
		}

		@Test
		void theToolsOfARemovedUpstreamAreNotListedAndNotCalled() {
			try (SseRetryUpstream closed = upstream("close_books");
					McpSyncClient client = connect("archive:*:*")) {
				this.gateway.add(archive(closed));
				try {
					assertThat(text(call(client, "close_books", ARGUMENTS))).startsWith("close_books ran");
				}
				finally {
					this.gateway.remove("archive");
				}
				assertThat(toolNames(client)).doesNotContain("close_books", "archive_close_books");
				assertThat(refusal(client, "close_books")).isEqualTo("json-rpc -32602");
				assertThat(refusal(client, "archive_close_books")).isEqualTo("json-rpc -32602");
				assertThat(closed.calls).containsExactly("close_books");
			}
		}

		@Test
		void aToolTheUpstreamStoppedListingIsNotListedAndNotCalled() {
			try (SseRetryUpstream closed = upstream("close_books", "export_books");
					McpSyncClient client = connect("archive:*:*")) {
				this.gateway.add(archive(closed));
				try {
					assertThat(toolNames(client)).contains("close_books", "export_books");
					closed.withdraw("export_books");
					this.gateway.refresh();
					assertThat(toolNames(client)).contains("close_books").doesNotContain("export_books");
					assertThat(refusal(client, "export_books")).isEqualTo("json-rpc -32602");
					assertThat(closed.calls).isEmpty();
				}
				finally {
					this.gateway.remove("archive");
				}
			}
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.discovery.mode=progressive",
					"spring.datasource.url=jdbc:h2:mem:gateway-hidden-progressive;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					"mcp.governance.gateway.refresh-interval=1h", "mcp.governance.upstreams.billing.denied-tools=delete_*",
					"mcp.governance.upstreams.billing.scopes.[get_*]=invoice:read",
					"mcp.governance.upstreams.billing.scopes.[void_*]=invoice:void" })
	class ProgressiveExecuteTool {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		McpGateway gateway;

		McpSyncClient connect(String... scopes) {
			return McpTestClient.streamable(this.port, "X-API-Key", key(this.apiKeys, scopes));
		}

		static String discover(McpSyncClient client, String domain) {
			return text(call(client, "discover_tools", Map.of("domain", domain)));
		}

		@Test
		void anUpstreamToolTheCallerLacksTheScopeForIsNotDiscoveredAndNotCalled() {
			int before = billing.calls.size();
			try (McpSyncClient reader = connect("billing:invoice:read")) {
				assertThat(discover(reader, "billing")).contains("\"get_invoice\"").doesNotContain("void_invoice");
				assertThat(error(execute(reader, "void_invoice"))).containsEntry("error_code", "tool_not_found");
			}
			assertThat(billing.calls).hasSize(before);
			try (McpSyncClient voider = connect("billing:invoice:void")) {
				assertThat(text(execute(voider, "void_invoice"))).startsWith("void_invoice ran");
			}
			assertThat(billing.calls.subList(before, billing.calls.size())).containsExactly("void_invoice");
		}

		@Test
		void aDeniedOrLookalikeNameIsNotDiscoveredAndNeverReachesTheUpstream() {
			List<String> before = List.copyOf(billing.calls);
			try (McpSyncClient admin = connect("billing:*:*")) {
				String discovered = discover(admin, "billing");
				assertThat(discovered).contains("\"get_invoice\"", "\"void_invoice\"");
				for (String name : DENIED) {
					assertThat(discovered).doesNotContain("\"name\":\"" + name + "\"");
					assertThat(error(execute(admin, name))).as(name).containsEntry("error_code", "tool_not_found");
				}
				for (String name : LOOKALIKES) {
					assertThat(discovered).doesNotContain("\"name\":\"" + name + "\"");
					assertThat(error(execute(admin, name))).as(name).containsEntry("error_code", "tool_not_found");
				}
			}
			assertThat(billing.calls).isEqualTo(before);
		}

		@Test
		void theToolsOfARemovedUpstreamAreNotDiscoveredAndNotCalled() {
			try (SseRetryUpstream closed = upstream("close_books");
					McpSyncClient client = connect("archive:*:*")) {
				this.gateway.add(archive(closed));
				try {
					assertThat(text(execute(client, "close_books"))).startsWith("close_books ran");
				}
				finally {
					this.gateway.remove("archive");
				}
				assertThat(discover(client, "archive")).doesNotContain("close_books");
				assertThat(error(execute(client, "close_books"))).containsEntry("error_code", "tool_not_found");
				assertThat(closed.calls).containsExactly("close_books");
			}
		}

	}

}
