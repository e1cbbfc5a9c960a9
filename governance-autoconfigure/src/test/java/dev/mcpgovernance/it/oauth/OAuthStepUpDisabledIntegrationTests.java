package dev.mcpgovernance.it.oauth;

import java.util.Map;

import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.oauth.AuthorizationServers.PRIMARY;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.ORDERS_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mcp.governance.security.step-up=false}, and OAuth alone (no API-key pepper): an OAuth caller
 * lacking a scope gets the same {@code forbidden} tool error an API-key caller gets.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.security.step-up=false" })
class OAuthStepUpDisabledIntegrationTests {

	@DynamicPropertySource
	static void authorizationServers(DynamicPropertyRegistry registry) {
		AuthorizationServers.trustPrimaryAndSecond(registry);
	}

	@LocalServerPort
	int port;

	@Test
	void callLackingTheScopeGetsTheForbiddenToolErrorInsteadOfA403() throws Exception {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization",
				"Bearer " + PRIMARY.token(ORDERS_CLIENT, "orders:order:read"))) {
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1"))))
				.containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "orders:order:cancel"));
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
	}

}
