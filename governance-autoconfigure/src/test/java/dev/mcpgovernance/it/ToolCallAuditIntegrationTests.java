package dev.mcpgovernance.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.McpTestClient.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every tool call leaves an audit record, also those no governed handler sees: a tool the server
 * does not have (answered by the MCP SDK, or by {@code execute_tool}), a tool {@code execute_tool}
 * hides from its caller, a {@code tools/call} too malformed to dispatch, and one refused by the
 * per-caller rate limit before dispatch. A name the server does not have is recorded by its shape:
 * a name carrying data appears neither in the trail nor in the log. Through the MCP Java SDK client
 * (raw HTTP where it cannot send the request), with the records read from the JDBC writer's table.
 */
@ExtendWith(OutputCaptureExtension.class)
class ToolCallAuditIntegrationTests {

	static final String AUDIT = "SELECT tool, outcome, error_code, domain, resource, action, argument_shape"
			+ " FROM mcp_governance_audit WHERE owner_id = ? ORDER BY occurred_at, id";

	/** The rows of one owner, as {@code tool|outcome|error_code|domain|resource|action}, once {@code count} are written. */
	static List<String> rows(JdbcClient jdbc, String owner, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> all(jdbc, owner).size() >= count);
		return all(jdbc, owner).stream()
			.map((row) -> String.join("|", String.valueOf(row.get("TOOL")), String.valueOf(row.get("OUTCOME")),
					String.valueOf(row.get("ERROR_CODE")), String.valueOf(row.get("DOMAIN")),
					String.valueOf(row.get("RESOURCE")), String.valueOf(row.get("ACTION"))))
			.toList();
	}

	static List<Map<String, Object>> all(JdbcClient jdbc, String owner) {
		return jdbc.sql(AUDIT).param(owner).query().listOfRows();
	}

	static String reader(ApiKeyManager apiKeys, String owner, Integer rpm) {
		return apiKeys.create(owner, null, ScopeSet.parse(List.of("orders:*:read", "inventory:item:read")), rpm, null)
			.secret();
	}

	/** What every transport must do: a direct tools/call of a tool the server does not have is recorded. */
	static void unknownToolIsRecorded(ApiKeyManager apiKeys, JdbcClient jdbc, Function<String, McpSyncClient> connect) {
		String owner = "unknown-" + UUID.randomUUID();
		try (McpSyncClient client = connect.apply(reader(apiKeys, owner, null))) {
			assertThat(refusal(client, "no_such_tool", Map.of("orderId", "o-1"))).isEqualTo("json-rpc -32602");
		}
		assertThat(rows(jdbc, owner, 1))
			.containsExactly("unknown-tool(length=12,chars=name)|error|tool_not_found|null|null|null");
	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.discovery.mode=progressive",
					"spring.datasource.url=jdbc:h2:mem:tool-call-audit-streamable;DB_CLOSE_DELAY=-1",
					"mcp.governance.audit.flush-interval=50ms",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnStreamableHttp {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		JdbcClient jdbc;

		McpSyncClient connect(String key) {
			return McpTestClient.streamable(this.port, "X-API-Key", key);
		}

		static CallToolResult execute(McpSyncClient client, String name, Map<String, Object> arguments) {
			return call(client, "execute_tool", Map.of("name", name, "arguments", arguments));
		}

		@Test
		void anUnknownToolOnToolsCallIsRecordedByItsShape() {
			unknownToolIsRecorded(this.apiKeys, this.jdbc, this::connect);
		}

		@Test
		void anUnknownToolThroughExecuteToolIsRecordedByItsShape() {
			String owner = "execute-unknown-" + UUID.randomUUID();
			try (McpSyncClient client = connect(reader(this.apiKeys, owner, null))) {
				assertThat(error(execute(client, "no_such_tool", Map.of("orderId", "o-1")))).containsEntry("error_code",
						"tool_not_found");
			}
			assertThat(rows(this.jdbc, owner, 1))
				.containsExactly("unknown-tool(length=12,chars=name)|error|tool_not_found|null|null|null");
			// The shape of the tool's arguments, as for a direct call, not of execute_tool's.
			assertThat(all(this.jdbc, owner).get(0).get("ARGUMENT_SHAPE"))
				.isEqualTo("{\"type\":\"object\",\"fields\":1,\"children\":[{\"type\":\"string\",\"length\":3}]}");
		}

		@Test
		void executeToolRefusedForScopeLeavesTheRowADirectCallLeaves() {
			String owner = "execute-hidden-" + UUID.randomUUID();
			try (McpSyncClient client = connect(reader(this.apiKeys, owner, null))) {
				// Hidden from this caller: answered as if it did not exist ...
				assertThat(error(execute(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
						"tool_not_found");
				// ... and refused for scope when called directly.
				assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
						"forbidden");
			}
			List<String> rows = rows(this.jdbc, owner, 2);
			assertThat(rows).containsExactly("cancel_order|denied|forbidden|orders|order|cancel",
					"cancel_order|denied|forbidden|orders|order|cancel");
			List<Map<String, Object>> all = all(this.jdbc, owner);
			assertThat(all.get(0).get("ARGUMENT_SHAPE")).isEqualTo(all.get(1).get("ARGUMENT_SHAPE"));
		}

		@Test
		void executeToolWithoutANameIsRecordedAsACallOfExecuteTool() {
			String owner = "execute-noname-" + UUID.randomUUID();
			try (McpSyncClient client = connect(reader(this.apiKeys, owner, null))) {
				assertThat(error(call(client, "execute_tool", Map.of("arguments", Map.of())))).containsEntry("error_code",
						"invalid_input");
			}
			assertThat(rows(this.jdbc, owner, 1)).containsExactly("execute_tool|invalid_input|invalid_input|null|null|null");
		}

		@Test
		void aMalformedToolsCallIsRecorded() throws Exception {
			String owner = "malformed-" + UUID.randomUUID();
			String key = reader(this.apiKeys, owner, null);
			HttpResponse<String> arrayArguments = McpTestClient.post(this.port, "/mcp",
					"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"get_order\",\"arguments\":[1,2]}}",
					"X-API-Key", key);
			assertThat(arrayArguments.statusCode()).isEqualTo(400);
			HttpResponse<String> numericName = McpTestClient.post(this.port, "/mcp",
					"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":42}}", "X-API-Key", key);
			assertThat(numericName.statusCode()).isEqualTo(400);
			assertThat(rows(this.jdbc, owner, 2)).containsExactly("get_order|invalid_input|invalid_input|orders|order|read",
					"unknown-tool(not-a-string)|invalid_input|invalid_input|null|null|null");
		}

		@Test
		void aCallRefusedByTheCallerRateLimitBeforeDispatchIsRecorded() throws Exception {
			String owner = "limited-" + UUID.randomUUID();
			String key = reader(this.apiKeys, owner, 1);
			assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", key).statusCode())
				.isEqualTo(200);
			HttpResponse<String> known = McpTestClient.post(this.port, "/mcp",
					"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"get_order\",\"arguments\":{\"orderId\":\"o-1\"}}}",
					"X-API-Key", key);
			HttpResponse<String> unknown = McpTestClient.post(this.port, "/mcp",
					"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get order for bob\",\"arguments\":{}}}",
					"X-API-Key", key);
			assertThat(known.statusCode()).isEqualTo(429);
			assertThat(unknown.statusCode()).isEqualTo(429);
			assertThat(rows(this.jdbc, owner, 2)).containsExactly("get_order|rate_limited|rate_limited|orders|order|read",
					"unknown-tool(length=17,chars=ascii)|rate_limited|rate_limited|null|null|null");
		}

		/** The attack: a "tool name" that is really data, sent every way a name can reach the server. */
		@Test
		void anUnknownNameCarryingDataIsInNeitherTheTrailNorTheLog(CapturedOutput output) throws Exception {
			String owner = "leak-" + UUID.randomUUID();
			String email = "jane.doe+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
			String secret = "customer-" + UUID.randomUUID() + "-ssn-078-05-1120";
			String key = reader(this.apiKeys, owner, null);
			try (McpSyncClient client = connect(key)) {
				assertThat(refusal(client, email, Map.of())).isEqualTo("json-rpc -32602");
				assertThat(refusal(client, secret, Map.of())).isEqualTo("json-rpc -32602");
				assertThat(error(execute(client, email, Map.of()))).containsEntry("error_code", "tool_not_found");
			}
			// Refused at the HTTP level (no credential): reported before any dispatch.
			assertThat(McpTestClient.post(this.port, "/mcp",
					"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"" + secret + "\"}}")
				.statusCode()).isEqualTo(401);

			assertThat(rows(this.jdbc, owner, 3)).containsExactly(
					"unknown-tool(length=" + email.length() + ",chars=ascii)|error|tool_not_found|null|null|null",
					"unknown-tool(length=" + secret.length() + ",chars=name)|error|tool_not_found|null|null|null",
					"unknown-tool(length=" + email.length() + ",chars=ascii)|error|tool_not_found|null|null|null");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.jdbc.sql("SELECT count(*) FROM mcp_governance_audit WHERE owner_id IS NULL AND tool = ?")
					.param("unknown-tool(length=" + secret.length() + ",chars=name)")
					.query(Long.class)
					.single() > 0);
			List<String> everything = this.jdbc.sql("SELECT * FROM mcp_governance_audit")
				.query()
				.listOfRows()
				.stream()
				.map(Object::toString)
				.toList();
			assertThat(everything).noneMatch((row) -> row.contains(email) || row.contains(secret)
					|| row.contains("jane.doe") || row.contains("078-05-1120"));
			// The server's log; the test client (same JVM) logs the SDK's answer, which echoes the name to its caller.
			assertThat(output.getAll().lines().filter((line) -> !line.contains("McpClientSession")))
				.noneMatch((line) -> line.contains(email) || line.contains(secret) || line.contains("078-05-1120"));
			assertThat(output.getAll()).as("the client's log shows what was sent").contains(email);
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STATELESS",
					"spring.datasource.url=jdbc:h2:mem:tool-call-audit-stateless;DB_CLOSE_DELAY=-1",
					"mcp.governance.audit.flush-interval=50ms",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnStateless {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		JdbcClient jdbc;

		@Test
		void anUnknownToolOnToolsCallIsRecordedByItsShape() {
			unknownToolIsRecorded(this.apiKeys, this.jdbc,
					(key) -> McpTestClient.streamable(this.port, "X-API-Key", key));
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=SSE",
					"spring.datasource.url=jdbc:h2:mem:tool-call-audit-sse;DB_CLOSE_DELAY=-1",
					"mcp.governance.audit.flush-interval=50ms",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class OnSse {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		JdbcClient jdbc;

		@Test
		void anUnknownToolOnToolsCallIsRecordedByItsShape() {
			unknownToolIsRecorded(this.apiKeys, this.jdbc, (key) -> McpTestClient.sse(this.port, "X-API-Key", key));
		}

	}

}
