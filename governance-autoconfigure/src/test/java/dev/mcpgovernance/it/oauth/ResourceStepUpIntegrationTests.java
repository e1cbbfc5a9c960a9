package dev.mcpgovernance.it.oauth;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.resource.ResourceTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.oauth.AuthorizationServers.PRIMARY;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.ORDERS_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scope step-up for resources and prompts: an OAuth caller lacking the scope of a governed
 * resource or prompt gets HTTP 403 with the {@code insufficient_scope} challenge naming it (plus the
 * scopes already granted) for a read, a get, a subscription and a completion, before dispatch, and
 * the refusal is audited; with the scope, the MCP Java SDK client reads.
 */
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:resource-step-up;DB_CLOSE_DELAY=-1",
				"mcp.governance.audit.flush-interval=50ms" })
class ResourceStepUpIntegrationTests {

	@DynamicPropertySource
	static void authorizationServers(DynamicPropertyRegistry registry) {
		AuthorizationServers.trustPrimaryAndSecond(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void eachRequestLackingTheScopeGets403WithTheChallenge() throws Exception {
		String token = PRIMARY.token(ORDERS_CLIENT, "orders:order:cancel");
		long audited = refusalsAudited();
		String[] requests = {
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":\"orders://o-1\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/subscribe\",\"params\":{\"uri\":\"orders://o-1\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{\"name\":\"summarize_order\","
						+ "\"arguments\":{\"orderId\":\"o-1\"}}}",
				"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"completion/complete\",\"params\":{\"ref\":{\"type\":"
						+ "\"ref/resource\",\"uri\":\"orders://{orderId}\"},\"argument\":{\"name\":\"orderId\",\"value\":\"o\"}}}" };
		for (String body : requests) {
			HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", body, "Authorization",
					"Bearer " + token);
			assertThat(response.statusCode()).as(body).isEqualTo(403);
			assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).as(body)
				.startsWith("Bearer error=\"insufficient_scope\", scope=\"orders:order:read orders:order:cancel\", "
						+ "resource_metadata=");
			assertThat(response.body()).as(body).contains("\"error_code\":\"forbidden\"")
				.contains("requires scope 'orders:order:read'")
				.doesNotContain("o-1");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> refusalsAudited() == audited + 4);
	}

	@Test
	void withTheScopeTheClientReads() throws Exception {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization",
				"Bearer " + PRIMARY.token(ORDERS_CLIENT, "orders:order:read"))) {
			var result = client.readResource(new ReadResourceRequest("orders://o-2"));
			assertThat(((TextResourceContents) result.contents().get(0)).text()).contains("o-2");
		}
	}

	private long refusalsAudited() {
		return this.jdbc
			.sql("SELECT count(*) FROM mcp_governance_audit WHERE outcome = 'denied' AND error_code = 'forbidden'"
					+ " AND key_id LIKE 'jwt:%' AND domain = 'orders' AND resource = 'order' AND action = 'read'")
			.query(Long.class)
			.single();
	}

}
