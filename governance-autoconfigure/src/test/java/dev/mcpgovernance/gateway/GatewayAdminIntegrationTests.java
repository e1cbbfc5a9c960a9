package dev.mcpgovernance.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's upstream endpoints over HTTP against a running server in progressive mode with a
 * real upstream MCP server: an upstream added there is callable through the MCP client (via
 * execute_tool, so the discovery catalog follows), removed again, and refused without the scope or
 * with bad input; refresh_registry needs governance:upstream:write.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.admin.enabled=true",
				"mcp.governance.discovery.mode=progressive",
				"spring.datasource.url=jdbc:h2:mem:gateway-admin-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h",
				"mcp.governance.gateway.allowed-urls=http://127.0.0.1:*/mcp" })
class GatewayAdminIntegrationTests {

	private static final ConfigurableApplicationContext tickets = UpstreamTestServer.tickets();

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@AfterAll
	static void stopUpstream() {
		tickets.close();
	}

	private String key(String... scopes) {
		return this.apiKeys.create("gateway-admin", null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp-governance/admin/upstreams" + path))
			.header("Content-Type", "application/json")
			.header("X-API-Key", key)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static CallToolResult execute(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return call(client, "execute_tool", Map.of("name", tool, "arguments", arguments));
	}

	@Test
	void addedUpstreamIsListedCallableAndGoneAfterRemoval() throws Exception {
		String admin = key("governance:upstream:*");
		String body = "{\"domain\":\"helpdesk\",\"url\":\"http://127.0.0.1:" + UpstreamTestServer.port(tickets)
				+ "/mcp\",\"deniedTools\":[\"open_*\"]}";
		HttpResponse<String> added = send("POST", "", admin, body);
		assertThat(added.statusCode()).isEqualTo(201);
		assertThat(JSON.readTree(added.body()).get("state").asString()).isEqualTo("up");

		HttpResponse<String> list = send("GET", "", key("governance:upstream:read"), null);
		assertThat(list.statusCode()).isEqualTo(200);
		JsonNode upstream = JSON.readTree(list.body()).get(0);
		assertThat(upstream.get("domain").asString()).isEqualTo("helpdesk");
		assertThat(upstream.get("tools").asInt()).isEqualTo(2);
		assertThat(upstream.get("origin").asString()).isEqualTo("admin");

		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key("helpdesk:*:*"))) {
			CallToolResult result = execute(client, "lookup", Map.of("query", "x"));
			assertThat(result.isError()).isFalse();
			assertThat(result.content().toString()).contains("tickets:x");
			// Denied at add time: neither exposed nor executable.
			assertThat(execute(client, "open_ticket", Map.of("title", "t")).isError()).isTrue();

			assertThat(send("DELETE", "/helpdesk", admin, null).statusCode()).isEqualTo(204);
			CallToolResult gone = execute(client, "lookup", Map.of("query", "x"));
			assertThat(gone.isError()).isTrue();
			assertThat(error(gone)).containsEntry("error_code", "tool_not_found");
		}
		assertThat(send("DELETE", "/helpdesk", admin, null).statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(send("GET", "", admin, null).body())).isEmpty();
	}

	@Test
	void adminWithoutUpstreamScopeIsRefused() throws Exception {
		String keyAdmin = key("governance:admin:*");
		HttpResponse<String> read = send("GET", "", keyAdmin, null);
		assertThat(read.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(read.body()).at("/details/required_scope").asString())
			.isEqualTo("governance:upstream:read");
		HttpResponse<String> write = send("POST", "", key("governance:admin:*", "governance:upstream:read"),
				"{\"domain\":\"evil\",\"url\":\"http://127.0.0.1:1/mcp\"}");
		assertThat(write.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(write.body()).at("/details/required_scope").asString())
			.isEqualTo("governance:upstream:write");
		assertThat(send("POST", "/refresh", keyAdmin, null).statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(send("GET", "", key("governance:upstream:read"), null).body())).isEmpty();
	}

	@Test
	void badInputIsA400WithoutInternals() throws Exception {
		String admin = key("governance:upstream:write");
		for (String body : List.of("{\"url\":\"http://127.0.0.1:1/mcp\"}", "{\"domain\":\"Bad Domain\",\"url\":\"http://127.0.0.1:1/mcp\"}",
				"{\"domain\":\"ok\",\"url\":\"ftp://127.0.0.1/mcp\"}", "{\"domain\":\"ok\",\"url\":\"http://x\",\"transport\":\"CARRIER_PIGEON\"}",
				"{\"domain\":\"ok\",\"url\":\"http://user:pw@127.0.0.1:1/mcp\"}",
				"{\"domain\":\"ok\",\"url\":\"http://127.0.0.1:1/mcp?token=abc\"}",
				"{\"domain\":\"ok\",\"url\":\"http://127.0.0.2:1/mcp\"}",
				"not json")) {
			HttpResponse<String> response = send("POST", "", admin, body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo("invalid_input");
			assertThat(response.body()).doesNotContain("Exception", "jackson", "CARRIER_PIGEON");
		}
	}

	@Test
	void refreshRegistryNeedsTheUpstreamWriteScope() {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key("helpdesk:*:*"))) {
			assertThat(client.listTools().tools().stream().map(McpSchema.Tool::name)).doesNotContain("refresh_registry");
			CallToolResult refused = call(client, "refresh_registry", Map.of());
			assertThat(refused.isError()).isTrue();
			assertThat(error(refused)).containsEntry("error_code", "forbidden");
		}
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key("governance:upstream:write"))) {
			assertThat(client.listTools().tools().stream().map(McpSchema.Tool::name)).contains("refresh_registry");
			CallToolResult result = call(client, "refresh_registry", Map.of());
			assertThat(result.isError()).isFalse();
			assertThat(result.structuredContent().toString()).contains("upstreams=", "down=", "tools=");
		}
	}

}
