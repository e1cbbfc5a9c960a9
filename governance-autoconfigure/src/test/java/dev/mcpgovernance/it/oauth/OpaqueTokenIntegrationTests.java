package dev.mcpgovernance.it.oauth;

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
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.oauth.AuthorizationServers.PRIMARY;
import static dev.mcpgovernance.it.oauth.AuthorizationServers.SECOND;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.EXCHANGE_CLIENT;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.OPAQUE_CLIENT;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.OPAQUE_ELSEWHERE_CLIENT;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.ORDERS_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Opaque access tokens end to end, a credential kind added through the credential SPI: real Spring
 * Authorization Servers issue reference tokens and answer at their introspection endpoints (RFC 7662),
 * a real MCP client presents the tokens as {@code Authorization: Bearer}, JWTs of the same issuer still
 * go to the JWT kind, and a third issuer's introspection endpoint is down the whole time.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:opaque-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.oauth.introspection.cache-ttl=2s" })
class OpaqueTokenIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Nothing listens there: its introspection endpoint is down for the whole test. */
	private static final String DOWN = "http://127.0.0.1:9/down";

	@DynamicPropertySource
	static void authorizationServers(DynamicPropertyRegistry registry) {
		AuthorizationServers.trustPrimaryAndSecond(registry);
		for (Map.Entry<String, TestAuthorizationServer> trusted : Map.of("primary", PRIMARY, "second", SECOND).entrySet()) {
			String issuer = "mcp.governance.oauth.issuers." + trusted.getKey();
			registry.add(issuer + ".introspection-uri", trusted.getValue()::introspectionUri);
			registry.add(issuer + ".introspection-client-id", () -> EXCHANGE_CLIENT);
			registry.add(issuer + ".introspection-client-secret", () -> TestAuthorizationServer.secretOf(EXCHANGE_CLIENT));
		}
		registry.add("mcp.governance.oauth.issuers.down.issuer-uri", () -> DOWN);
		registry.add("mcp.governance.oauth.issuers.down.introspection-uri", () -> DOWN + "/oauth2/introspect");
		registry.add("mcp.governance.oauth.issuers.down.introspection-client-id", () -> EXCHANGE_CLIENT);
		registry.add("mcp.governance.oauth.issuers.down.introspection-client-secret", () -> "unused");
	}

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private McpSyncClient client(String token) {
		return McpTestClient.streamable(this.port, "Authorization", "Bearer " + token);
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	@Test
	void opaqueTokenCallsAToolAsItsOwnerWithItsScopes() throws Exception {
		String token = PRIMARY.token(OPAQUE_CLIENT, "orders:order:read", "inventory:item:read");
		assertThat(token).as("a reference token, not a JWT").doesNotContain(".");
		try (McpSyncClient client = client(token)) {
			assertThat(JSON.readTree(text(call(client, "get_order", Map.of("orderId", "o-1")))).get("id").asString())
				.isEqualTo("o-1");
			assertThat(text(call(client, "whoami", Map.of())))
				.startsWith("\"" + OPAQUE_CLIENT + "|opaque:" + PRIMARY.issuer() + "#" + OPAQUE_CLIENT + "|http|");
		}
	}

	@Test
	void opaqueTokenOfTheSecondIssuerIsFoundAtItsOwnEndpoint() throws Exception {
		try (McpSyncClient client = client(SECOND.token(OPAQUE_CLIENT, "inventory:item:read"))) {
			assertThat(text(call(client, "whoami", Map.of()))).contains("|opaque:" + SECOND.issuer() + "#");
		}
	}

	@Test
	void jwtsOfTheSameIssuerStillGoToTheJwtKindWithoutIntrospection() throws Exception {
		int introspections = PRIMARY.introspections() + SECOND.introspections();
		try (McpSyncClient client = client(PRIMARY.token(ORDERS_CLIENT, "inventory:item:read"))) {
			assertThat(text(call(client, "whoami", Map.of()))).contains("|jwt:" + PRIMARY.issuer() + "#");
		}
		assertThat(PRIMARY.introspections() + SECOND.introspections()).isEqualTo(introspections);
	}

	@Test
	void callLackingTheScopeGetsTheStepUpChallenge() throws Exception {
		String token = PRIMARY.token(OPAQUE_CLIENT, "orders:order:read");
		HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", """
				{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"cancel_order",
				"arguments":{"orderId":"o-1"}}}""", "Authorization", "Bearer " + token);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.startsWith("Bearer error=\"insufficient_scope\", scope=\"orders:order:cancel orders:order:read\"");
	}

	@Test
	void answersAreCachedBrieflyAndARevokedTokenIsRefusedOnceTheyExpire() throws Exception {
		String token = PRIMARY.token(OPAQUE_CLIENT, "inventory:item:read");
		assertThat(initialize(token).statusCode()).isEqualTo(200);
		int introspections = PRIMARY.introspections();
		assertThat(initialize(token).statusCode()).isEqualTo(200);
		assertThat(PRIMARY.introspections()).as("the second request reuses the answer").isEqualTo(introspections);

		PRIMARY.revoke(OPAQUE_CLIENT, token);
		assertThat(initialize(token).statusCode()).as("still the cached answer").isEqualTo(200);
		Thread.sleep(2_100);
		// Inactive at both trusted endpoints; the one that is down keeps it from being called unknown.
		assertRefused(token, "The access token");
	}

	@Test
	void opaqueTokenMintedForAnotherServerIsRefused() throws Exception {
		assertRefused(PRIMARY.token(OPAQUE_ELSEWHERE_CLIENT, "orders:order:read"), "not issued for this server");
	}

	@Test
	void anIntrospectionOutageIsA401NeverAPass() throws Exception {
		// Neither trusted endpoint knows it, and the third cannot be asked: it may be the third's token.
		assertRefused("Zm9yZ2VkLW9wYXF1ZS10b2tlbi0xMjM0NTY3ODkw", "cannot be verified at the moment");
		// A token one endpoint knows is served all the same.
		assertThat(initialize(PRIMARY.token(OPAQUE_CLIENT, "inventory:item:read")).statusCode()).isEqualTo(200);
	}

	@Test
	void anOpaqueTokenWithAnApiKeyIsAmbiguousAndRefused() throws Exception {
		String key = this.apiKeys.create("reader", null, ScopeSet.parse(List.of("orders:order:read")), null, null).secret();
		HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(),
				"Authorization", "Bearer " + PRIMARY.token(OPAQUE_CLIENT, "orders:order:read"), "X-API-Key", key);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("Send one credential");
	}

	@Test
	void theProtectedResourceDocumentListsEveryIssuer() throws Exception {
		HttpResponse<String> response = McpTestClient.get(this.port, "/.well-known/oauth-protected-resource/mcp");
		assertThat(JSON.readTree(response.body()).get("authorization_servers").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder(PRIMARY.issuer(), SECOND.issuer(), DOWN);
	}

	private HttpResponse<String> initialize(String token) throws Exception {
		return McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "Authorization", "Bearer " + token);
	}

	private void assertRefused(String token, String reason) throws Exception {
		HttpResponse<String> response = initialize(token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.startsWith("Bearer error=\"invalid_token\", error_description=\"")
			.contains(reason);
		assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo("unauthenticated");
		assertThat(response.body()).doesNotContain(token);
		assertThatThrownBy(() -> client(token).close()).as("the MCP client cannot even initialize")
			.isInstanceOf(RuntimeException.class);
	}

}
