package dev.mcpgovernance.it.oauth;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.oauth.AuthorizationServers.PRIMARY;
import static dev.mcpgovernance.it.oauth.AuthorizationServers.SECOND;
import static dev.mcpgovernance.it.oauth.AuthorizationServers.UNTRUSTED;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.EC_CLIENT;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.ELSEWHERE_CLIENT;
import static dev.mcpgovernance.it.oauth.TestAuthorizationServer.ORDERS_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * OAuth 2.1 callers end to end: real Spring Authorization Servers with real keys and JWKS
 * endpoints mint the tokens, a real MCP client presents them, and API keys work alongside.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:oauth-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class OAuthGovernanceIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String METADATA_URL = "https://mcp.test/.well-known/oauth-protected-resource";

	@DynamicPropertySource
	static void authorizationServers(DynamicPropertyRegistry registry) {
		AuthorizationServers.trustPrimaryAndSecond(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	GovernedToolRegistry tools;

	@Autowired
	JdbcClient jdbc;

	private McpSyncClient client(String token) {
		return McpTestClient.streamable(this.port, "Authorization", "Bearer " + token);
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	@Nested
	class ValidTokens {

		@Test
		void tokenFromTheAuthorizationServerCallsATool() throws Exception {
			try (McpSyncClient client = client(PRIMARY.token(ORDERS_CLIENT, "orders:order:read"))) {
				CallToolResult result = call(client, "get_order", Map.of("orderId", "o-1"));
				assertThat(result.isError()).isFalse();
				assertThat(JSON.readTree(text(result)).get("id").asString()).isEqualTo("o-1");
			}
		}

		@Test
		void tokenSignedWithTheEcKeyIsAcceptedWhenEs256IsConfigured() throws Exception {
			String token = PRIMARY.token(EC_CLIENT, "inventory:item:read");
			assertThat(header(token).get("alg").asString()).isEqualTo("ES256");
			try (McpSyncClient client = client(token)) {
				assertThat(text(call(client, "whoami", Map.of()))).startsWith("\"" + EC_CLIENT + "|");
			}
		}

		@Test
		void tokenFromTheSecondTrustedIssuerIsAccepted() throws Exception {
			try (McpSyncClient client = client(SECOND.token(ORDERS_CLIENT, "inventory:item:read"))) {
				assertThat(text(call(client, "whoami", Map.of())))
					.startsWith("\"" + ORDERS_CLIENT + "|jwt:" + SECOND.issuer() + "#" + ORDERS_CLIENT + "|http|");
			}
		}

		@Test
		void tokenJustPastExpiryWithinTheClockSkewIsAccepted() throws Exception {
			Instant now = Instant.now();
			JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "inventory:item:read")
				.issueTime(Date.from(now.minus(Duration.ofMinutes(5))))
				.expirationTime(Date.from(now.minus(Duration.ofSeconds(20))))
				.build();
			try (McpSyncClient client = client(ForgedTokens.signedByTheServer(PRIMARY, claims))) {
				assertThat(call(client, "whoami", Map.of()).isError()).isFalse();
			}
		}

		@Test
		void jwtAndApiKeyCallersReachTheToolWithTheSameIdentityShape() throws Exception {
			String apiKey = OAuthGovernanceIntegrationTests.this.apiKeys
				.create("bob", "Bob", ScopeSet.parse(List.of("inventory:item:read")), null, null)
				.secret();
			String viaJwt;
			String viaKey;
			try (McpSyncClient jwtClient = client(PRIMARY.token(ORDERS_CLIENT, "inventory:item:read"));
					McpSyncClient keyClient = client(apiKey)) {
				viaJwt = text(call(jwtClient, "whoami", Map.of()));
				viaKey = text(call(keyClient, "whoami", Map.of()));
			}
			String shape = "\"[^|]+\\|[^|]+\\|http\\|[^|]+\"";
			assertThat(viaJwt).matches(shape)
				.startsWith("\"" + ORDERS_CLIENT + "|jwt:" + PRIMARY.issuer() + "#" + ORDERS_CLIENT + "|http|");
			assertThat(viaKey).matches(shape).startsWith("\"bob|key_");
		}

	}

	@Nested
	class RejectedTokens {

		@Test
		void tokenMintedForAnotherServerIsRefused() throws Exception {
			assertRefused(PRIMARY.token(ELSEWHERE_CLIENT, "orders:order:read"), "The aud claim is not valid");
		}

		@Test
		void expiredTokenIsRefused() throws Exception {
			Instant now = Instant.now();
			JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "orders:order:read")
				.issueTime(Date.from(now.minus(Duration.ofMinutes(20))))
				.expirationTime(Date.from(now.minus(Duration.ofMinutes(10))))
				.build();
			assertRefused(ForgedTokens.signedByTheServer(PRIMARY, claims), "Jwt expired at");
		}

		@Test
		void tokenNotYetValidIsRefused() throws Exception {
			Instant now = Instant.now();
			JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "orders:order:read")
				.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10))))
				.expirationTime(Date.from(now.plus(Duration.ofMinutes(20))))
				.build();
			assertRefused(ForgedTokens.signedByTheServer(PRIMARY, claims), "Jwt used before");
		}

		@Test
		void tokenWithoutExpiryIsRefused() throws Exception {
			JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "orders:order:read").expirationTime(null).build();
			assertRefused(ForgedTokens.signedByTheServer(PRIMARY, claims), "The exp claim is not valid");
		}

		@Test
		void unsignedTokenWithAlgNoneIsRefused() throws Exception {
			assertRefused(ForgedTokens.unsigned(ForgedTokens.claims(PRIMARY, "orders:*:*").build()),
					"signature or algorithm is not accepted");
		}

		@Test
		void hs256SignedWithTheServersPublicKeyIsRefused() throws Exception {
			assertRefused(ForgedTokens.hs256WithThePublicKey(PRIMARY, ForgedTokens.claims(PRIMARY, "orders:*:*").build()),
					"signature or algorithm is not accepted");
		}

		@Test
		void tokenSignedByAnUnknownKeyClaimingExtraScopesIsRefused() throws Exception {
			JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "orders:*:*", "inventory:*:*").build();
			assertRefused(ForgedTokens.signedByAnUnknownKey(PRIMARY, claims), "signature or algorithm is not accepted");
		}

		@Test
		void tokenFromAnUntrustedAuthorizationServerIsRefused() throws Exception {
			assertRefused(UNTRUSTED.token(ORDERS_CLIENT, "orders:order:read"), "issuer is not trusted");
		}

		@Test
		void tokenOfOneTrustedIssuerClaimingTheOtherIsRefused() throws Exception {
			// Signed by the second server's real key, but naming the primary as its issuer.
			JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "orders:order:read").build();
			assertRefused(ForgedTokens.signedByTheServer(SECOND, claims), "signature or algorithm is not accepted");
		}

		@Test
		void garbageBearerTokenIsRefused() throws Exception {
			assertRefused("not-a-jwt", "not a well-formed JWT");
		}

		private void assertRefused(String token, String reason) throws Exception {
			HttpResponse<String> response = McpTestClient.post(OAuthGovernanceIntegrationTests.this.port, "/mcp",
					McpTestClient.initializeBody(), "Authorization", "Bearer " + token);
			assertThat(response.statusCode()).isEqualTo(401);
			String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
			assertThat(challenge).startsWith("Bearer error=\"invalid_token\", error_description=\"")
				.contains(reason)
				.endsWith("resource_metadata=\"" + METADATA_URL + "\"");
			assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo("unauthenticated");
			assertThat(response.body()).doesNotContain(token);
			assertThatThrownBy(() -> client(token).close()).as("the MCP client cannot even initialize")
				.isInstanceOf(RuntimeException.class);
		}

	}

	@Nested
	class StepUp {

		@Test
		void callLackingTheScopeGets403WithEveryScopeNeededInOneChallenge() throws Exception {
			long audited = stepUpRefusalsAudited();
			String token = PRIMARY.token(ORDERS_CLIENT, "orders:order:read", "profile");
			HttpResponse<String> response = McpTestClient.post(OAuthGovernanceIntegrationTests.this.port, "/mcp",
					"""
							{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"cancel_order",
							"arguments":{"orderId":"o-1"}}}""", "Authorization", "Bearer " + token);
			assertThat(response.statusCode()).isEqualTo(403);
			assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.isEqualTo("Bearer error=\"insufficient_scope\", scope=\"orders:order:cancel orders:order:read\", "
						+ "resource_metadata=\"" + METADATA_URL + "\"");
			assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo("forbidden");
			// What the SDK 0.18 client showed as its error message; the SDK 2.x client reports status and headers.
			assertThat(JSON.readTree(response.body()).get("message").asString())
				.contains("requires scope 'orders:order:cancel'");
			// Refused before dispatch, and still in the audit trail.
			await().atMost(Duration.ofSeconds(10)).until(() -> stepUpRefusalsAudited() == audited + 1);
		}

		private long stepUpRefusalsAudited() {
			return OAuthGovernanceIntegrationTests.this.jdbc
				.sql("SELECT count(*) FROM mcp_governance_audit WHERE tool = 'cancel_order' AND outcome = 'denied' "
						+ "AND error_code = 'forbidden' AND key_id LIKE 'jwt:%' AND latency_us = 0")
				.query(Long.class)
				.single();
		}

		@Test
		void theMcpClientSeesTheCallFailWhileCallsWithinItsScopesWork() throws Exception {
			try (McpSyncClient client = client(PRIMARY.token(ORDERS_CLIENT, "orders:order:read"))) {
				// SDK 2.x reports a 403 as an authorization error carrying the answer's headers: the
				// step-up challenge a client re-authorizes with.
				assertThatThrownBy(() -> call(client, "cancel_order", Map.of("orderId", "o-1")))
					.isInstanceOfSatisfying(McpHttpClientTransportAuthorizationException.class, (refusal) -> {
						HttpResponse.ResponseInfo answer = refusal.getResponseInfo();
						assertThat(answer.statusCode()).isEqualTo(403);
						assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
								(challenge) -> assertThat(challenge).contains("error=\"insufficient_scope\"")
									.contains("scope=\"orders:order:cancel"));
					});
				assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			}
		}

		@Test
		void ungovernedToolsFollowTheGovernorAndAreNotSteppedUp() throws Exception {
			try (McpSyncClient client = client(PRIMARY.token(ORDERS_CLIENT, "orders:order:read"))) {
				assertThat(error(call(client, "ungoverned_echo", Map.of("text", "hi")))).containsEntry("error_code",
						"forbidden");
			}
		}

		@Test
		void apiKeyCallersWhoCannotStepUpGetTheForbiddenToolError() {
			String apiKey = OAuthGovernanceIntegrationTests.this.apiKeys
				.create("carol", null, ScopeSet.parse(List.of("orders:order:read")), null, null)
				.secret();
			try (McpSyncClient client = client(apiKey)) {
				assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1"))))
					.containsEntry("error_code", "forbidden")
					.containsEntry("details", Map.of("required_scope", "orders:order:cancel"));
			}
		}

	}

	@Nested
	class Discovery {

		@Test
		void requestWithoutCredentialsGetsAChallengeWithScopesButNoError() throws Exception {
			HttpResponse<String> response = McpTestClient.post(OAuthGovernanceIntegrationTests.this.port, "/mcp",
					McpTestClient.initializeBody());
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
				.isEqualTo("Bearer resource_metadata=\"" + METADATA_URL + "\", "
						+ "scope=\"" + String.join(" ", OAuthGovernanceIntegrationTests.this.tools.requiredScopes()) + "\"");
		}

		@Test
		void protectedResourceMetadataListsTheTrustedIssuers() throws Exception {
			for (String path : List.of("/.well-known/oauth-protected-resource",
					"/.well-known/oauth-protected-resource/mcp")) {
				JsonNode document = JSON
					.readTree(McpTestClient.get(OAuthGovernanceIntegrationTests.this.port, path).body());
				assertThat(document.get("resource").asString()).isEqualTo(TestAuthorizationServer.RESOURCE);
				assertThat(document.get("authorization_servers")).extracting(JsonNode::asText)
					.containsExactly(PRIMARY.issuer(), SECOND.issuer());
			}
		}

	}

	private static JsonNode header(String token) throws Exception {
		return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
	}

}
