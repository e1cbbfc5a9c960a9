package dev.mcpgovernance.gateway;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream on the legacy HTTP+SSE transport ({@code transport: sse}), the other kind of upstream
 * URL the gateway takes: a real Spring AI SSE server, a real MCP client of the governed gateway.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:gateway-sse-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h", "mcp.governance.upstreams.crm.transport=sse",
				"mcp.governance.upstreams.crm.denied-tools=delete_*",
				"mcp.governance.upstreams.crm.scopes.[find_*]=customer:read" })
class GatewaySseUpstreamIntegrationTests {

	private static final ConfigurableApplicationContext crm = UpstreamTestServer.crmOverSse();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.upstreams.crm.url",
				() -> "http://127.0.0.1:" + UpstreamTestServer.port(crm) + "/sse");
	}

	@AfterAll
	static void stopUpstream() {
		crm.close();
	}

	@Test
	void sseUpstreamToolsAreGovernedListedAndCalled() {
		String key = this.apiKeys
			.create("gateway-owner", "Gateway owner", ScopeSet.parse(List.of("crm:customer:read")), null, null)
			.secret();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
			// find_customer for this scope; delete_customer denied by glob; lookup needs crm:lookup:call.
			assertThat(names).contains("find_customer").doesNotContain("delete_customer", "lookup");

			CallToolResult found = call(client, "find_customer", Map.of("id", "c-1"));
			assertThat(found.isError()).isFalse();
			assertThat(((TextContent) found.content().get(0)).text()).contains("Ada").doesNotContain("upstream-secret-1");

			CallToolResult refused = call(client, "lookup", Map.of("query", "x"));
			assertThat(refused.isError()).isTrue();
			assertThat(error(refused)).containsEntry("error_code", "forbidden");
		}
	}

}
