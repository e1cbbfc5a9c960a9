package dev.mcpgovernance.it.connector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.it.oauth.TestAuthorizationServer;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8693 token exchange end to end, with the exchanged-token cache in memory: an OAuth caller's
 * token from a real Spring Authorization Server is exchanged there for a token whose audience is
 * the downstream API and whose subject is the caller; the upstream sees only that token; the
 * second call is served from the cache; an API-key caller is refused.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:token-exchange-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class TokenExchangeIntegrationTests {

	static final String DOWNSTREAM = "https://petstore.example/api";

	static final TestAuthorizationServer AUTHORIZATION_SERVER = ConnectorTestServers.AUTHORIZATION_SERVER;

	static final PetstoreUpstream UPSTREAM = ConnectorTestServers.UPSTREAM;

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@DynamicPropertySource
	static void connector(DynamicPropertyRegistry registry) {
		ConnectorTestServers.trustAuthorizationServerAndExchangeTokens(registry);
		registry.add("mcp.governance.connectors.petstore.spec", () -> "classpath:openapi/petstore3.json");
		registry.add("mcp.governance.connectors.petstore.domain", () -> "petstore");
		registry.add("mcp.governance.connectors.petstore.base-url", UPSTREAM::baseUrl);
		registry.add("mcp.governance.connectors.petstore.include", () -> "getPetById");
		registry.add("mcp.governance.connectors.petstore.auth.type", () -> "token-exchange");
		registry.add("mcp.governance.connectors.petstore.auth.audience", () -> DOWNSTREAM);
		registry.add("mcp.governance.connectors.petstore.auth.scopes", () -> TestAuthorizationServer.DOWNSTREAM_SCOPE);
	}

	@BeforeEach
	void clear() {
		UPSTREAM.clear();
	}

	/** A caller's access token. */
	String callerToken() throws Exception {
		return AUTHORIZATION_SERVER.token(TestAuthorizationServer.ORDERS_CLIENT, "petstore:pet:read", "profile");
	}

	@Test
	void upstreamReceivesAnExchangedTokenForItsAudienceOnTheCallersBehalf() throws Exception {
		String inbound = callerToken();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization", "Bearer " + inbound)) {
			CallToolResult result = call(client, "getPetById", Map.of("petId", 7));
			assertThat(result.isError()).isFalse();
		}
		String authorization = UPSTREAM.lastRequest().authorization();
		assertThat(authorization).startsWith("Bearer ");
		String downstream = authorization.substring("Bearer ".length());
		assertThat(downstream).isNotEqualTo(inbound);
		JsonNode claims = claims(downstream);
		assertThat(claims.get("aud").isArray() ? claims.get("aud").get(0).asString() : claims.get("aud").asString())
			.isEqualTo(DOWNSTREAM);
		assertThat(claims.get("sub").asString()).isEqualTo(claims(inbound).get("sub").asString());
		assertThat(claims.get("scope").toString()).contains(TestAuthorizationServer.DOWNSTREAM_SCOPE)
			.doesNotContain("petstore:pet:read");
	}

	@Test
	void secondCallIsServedFromTheCache() throws Exception {
		// Another caller than the other tests': nothing is cached for it yet.
		String inbound = AUTHORIZATION_SERVER.token(TestAuthorizationServer.EC_CLIENT, "petstore:pet:read");
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization", "Bearer " + inbound)) {
			int before = AUTHORIZATION_SERVER.tokenExchanges();
			call(client, "getPetById", Map.of("petId", 1));
			String first = UPSTREAM.lastRequest().authorization();
			assertThat(AUTHORIZATION_SERVER.tokenExchanges()).isEqualTo(before + 1);
			call(client, "getPetById", Map.of("petId", 2));
			assertThat(AUTHORIZATION_SERVER.tokenExchanges()).isEqualTo(before + 1);
			assertThat(UPSTREAM.lastRequest().authorization()).isEqualTo(first);
		}
	}

	@Test
	void apiKeyCallerIsRefusedWithAClearError() {
		String key = this.apiKeys.create("robot", "Robot", ScopeSet.parse(List.of("petstore:pet:read")), null, null)
			.secret();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			CallToolResult result = call(client, "getPetById", Map.of("petId", 7));
			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "forbidden");
			assertThat((String) error(result).get("message")).contains("OAuth access token", "API-key");
		}
		assertThat(UPSTREAM.requests()).isEmpty();
	}

	static JsonNode claims(String jwt) throws IOException {
		String payload = jwt.split("\\.")[1];
		return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
	}

}
