package dev.mcpgovernance.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.it.connector.ConnectorTestServers;
import dev.mcpgovernance.it.oauth.TestAuthorizationServer;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.ToolExecutionHook;
import dev.mcpgovernance.tool.ToolInvocation;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway upstream that is a resource server of its own (it accepts only JWTs whose audience is
 * itself), behind the governed gateway, with a real Spring Authorization Server: an OAuth caller's
 * token is exchanged (RFC 8693) for one whose audience is the upstream and whose subject is the
 * caller; the caller's own token never reaches the upstream, which would refuse it anyway; a caller
 * with an API key or a token the authorization server will not exchange gets a clean error and the
 * upstream tool does not run. An execution hook's header reaches the upstream request too.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, GatewayTokenExchangeIntegrationTests.TagHook.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:gateway-token-exchange-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h",
				"mcp.governance.upstreams.tickets.description=The ticket system",
				"mcp.governance.upstreams.tickets.scopes.[open_ticket]=ticket:open",
				"mcp.governance.upstreams.tickets.resource-scopes.[tickets\\://*]=ticket:open",
				"mcp.governance.upstreams.tickets.credential.bearer-env=test.tickets.service-token",
				"mcp.governance.upstreams.tickets.credential.token-exchange-audience="
						+ TestAuthorizationServer.UPSTREAM_RESOURCE,
				"mcp.governance.upstreams.tickets.credential.token-exchange-scopes="
						+ TestAuthorizationServer.DOWNSTREAM_SCOPE })
class GatewayTokenExchangeIntegrationTests {

	static final TestAuthorizationServer AUTHORIZATION_SERVER = ConnectorTestServers.AUTHORIZATION_SERVER;

	static final ProtectedUpstreamServer UPSTREAM = ProtectedUpstreamServer.start(AUTHORIZATION_SERVER.issuer(),
			TestAuthorizationServer.UPSTREAM_RESOURCE);

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry registry) {
		ConnectorTestServers.trustAuthorizationServerAndExchangeTokens(registry);
		registry.add("mcp.governance.upstreams.tickets.url", UPSTREAM::url);
		// The gateway's own token for the upstream: opens the session and lists the tools.
		registry.add("test.tickets.service-token", GatewayTokenExchangeIntegrationTests::serviceToken);
	}

	private static String serviceToken() {
		try {
			return AUTHORIZATION_SERVER.token(TestAuthorizationServer.GATEWAY_CLIENT);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The requests the upstream recorded after the first {@code seenBefore}, from one copy of its list. */
	private static List<ProtectedUpstreamServer.Received> receivedSince(int seenBefore) {
		List<ProtectedUpstreamServer.Received> received = UPSTREAM.received();
		return received.subList(seenBefore, received.size());
	}

	/** The last request the hook tagged among those recorded after the first {@code seenBefore}. */
	private static Optional<ProtectedUpstreamServer.Received> lastTaggedRequestAfter(int seenBefore) {
		return receivedSince(seenBefore).stream()
			.filter((request) -> request.requestTag() != null)
			.reduce((first, second) -> second);
	}

	@AfterAll
	static void stopUpstream() {
		UPSTREAM.close();
	}

	@Test
	void upstreamGetsATokenForItsOwnAudienceOnTheCallersBehalfNeverTheCallersOwn() throws Exception {
		String inbound = AUTHORIZATION_SERVER.token(TestAuthorizationServer.ORDERS_CLIENT, "tickets:ticket:open");
		int runsBefore = UPSTREAM.toolRuns();
		int seenBefore = UPSTREAM.received().size();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization", "Bearer " + inbound)) {
			CallToolResult result = call(client, "open_ticket", Map.of("title", "printer"));

			assertThat(result.isError()).isFalse();
			assertThat(((TextContent) result.content().get(0)).text()).contains("opened:printer");
		}
		assertThat(UPSTREAM.toolRuns()).isEqualTo(runsBefore + 1);
		// The tool call is the request the hook tagged; it carried the exchanged token. The upstream
		// records a request after answering it, so the record may come a moment after the answer.
		ProtectedUpstreamServer.Received toolCall = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> lastTaggedRequestAfter(seenBefore), Optional::isPresent)
			.get();
		assertThat(receivedSince(seenBefore)).extracting(ProtectedUpstreamServer.Received::bearer).doesNotContain(inbound);
		assertThat(toolCall.status()).isEqualTo(200);
		JsonNode claims = claims(toolCall.bearer());
		assertThat(audiences(claims)).containsExactly(TestAuthorizationServer.UPSTREAM_RESOURCE);
		assertThat(claims.get("sub").asString()).isEqualTo(claims(inbound).get("sub").asString())
			.isEqualTo(TestAuthorizationServer.ORDERS_CLIENT);
		assertThat(claims.get("iss").asString()).isEqualTo(AUTHORIZATION_SERVER.issuer());
		// The hook's header arrived; its attempt to set Authorization did not replace the credential.
		assertThat(toolCall.requestTag()).isEqualTo("tag-" + TestAuthorizationServer.ORDERS_CLIENT);
		assertThat(toolCall.authorization()).isNotEqualTo(TagHook.FORGED_AUTHORIZATION);
	}

	@Test
	void anUpstreamResourceIsReadWithATokenExchangedForTheCallerToo() throws Exception {
		String inbound = AUTHORIZATION_SERVER.token(TestAuthorizationServer.ORDERS_CLIENT, "tickets:ticket:open");
		int seenBefore = UPSTREAM.received().size();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization", "Bearer " + inbound)) {
			ReadResourceResult result = client.readResource(new ReadResourceRequest("tickets://queue"));

			assertThat(((TextResourceContents) result.contents().get(0)).text()).isEqualTo("3 open");
		}
		// The read is the request made for the caller: the upstream saw the caller as its subject.
		List<String> subjects = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> subjectsSince(seenBefore), (seen) -> seen.contains(TestAuthorizationServer.ORDERS_CLIENT));
		assertThat(subjects).contains(TestAuthorizationServer.ORDERS_CLIENT);
		assertThat(receivedSince(seenBefore)).extracting(ProtectedUpstreamServer.Received::bearer).doesNotContain(inbound);
		// The hook ran for the read too: its header arrived on the read, its Authorization did not.
		ProtectedUpstreamServer.Received read = lastTaggedRequestAfter(seenBefore).orElseThrow();
		assertThat(read.requestTag()).isEqualTo("tag-" + TestAuthorizationServer.ORDERS_CLIENT);
		assertThat(claims(read.bearer()).get("sub").asString()).isEqualTo(TestAuthorizationServer.ORDERS_CLIENT);
	}

	private static List<String> subjectsSince(int seenBefore) throws IOException {
		List<String> subjects = new ArrayList<>();
		for (ProtectedUpstreamServer.Received request : receivedSince(seenBefore)) {
			if (request.bearer() != null) {
				subjects.add(claims(request.bearer()).get("sub").asString());
			}
		}
		return subjects;
	}

	@Test
	void upstreamRefusesTheCallersOwnTokenButAcceptsItsAudiences() throws Exception {
		String inbound = AUTHORIZATION_SERVER.token(TestAuthorizationServer.ORDERS_CLIENT, "tickets:ticket:open");
		String forUpstream = AUTHORIZATION_SERVER.token(TestAuthorizationServer.GATEWAY_CLIENT);

		var refused = McpTestClient.post(port(UPSTREAM), "/mcp", McpTestClient.initializeBody(), "Authorization",
				"Bearer " + inbound);
		var accepted = McpTestClient.post(port(UPSTREAM), "/mcp", McpTestClient.initializeBody(), "Authorization",
				"Bearer " + forUpstream);

		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
		assertThat(accepted.statusCode()).isEqualTo(200);
	}

	@Test
	void apiKeyCallerGetsACleanErrorAndTheUpstreamToolDoesNotRun() {
		String key = this.apiKeys.create("robot", "Robot", ScopeSet.parse(List.of("tickets:ticket:open")), null, null)
			.secret();
		int runsBefore = UPSTREAM.toolRuns();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			CallToolResult result = call(client, "open_ticket", Map.of("title", "printer"));

			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "forbidden");
			assertThat((String) error(result).get("message")).contains("OAuth access token");
		}
		assertThat(UPSTREAM.toolRuns()).isEqualTo(runsBefore);
	}

	@Test
	void tokenTheAuthorizationServerWillNotExchangeGetsACleanErrorAndTheUpstreamToolDoesNotRun() throws Exception {
		// Signed with the authorization server's real key, so the gateway accepts it; but the server never
		// issued it, so it refuses to exchange it.
		String unknown = signedByTheAuthorizationServer(new JWTClaimsSet.Builder().issuer(AUTHORIZATION_SERVER.issuer())
			.subject("someone")
			.audience(TestAuthorizationServer.RESOURCE)
			.claim("client_id", "someone")
			.claim("scope", "tickets:ticket:open")
			.issueTime(Date.from(Instant.now()))
			.expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
			.build());
		int runsBefore = UPSTREAM.toolRuns();
		int seenBefore = UPSTREAM.received().size();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization", "Bearer " + unknown)) {
			CallToolResult result = call(client, "open_ticket", Map.of("title", "printer"));

			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "forbidden");
			assertThat(result.toString()).doesNotContain(unknown, "invalid_grant", "Exception");
		}
		assertThat(UPSTREAM.toolRuns()).isEqualTo(runsBefore);
		assertThat(receivedSince(seenBefore))
			.extracting(ProtectedUpstreamServer.Received::bearer)
			.doesNotContain(unknown);
	}

	private static int port(ProtectedUpstreamServer upstream) {
		String url = upstream.url();
		return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.indexOf("/mcp")));
	}

	private static String signedByTheAuthorizationServer(JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
			.keyID(AUTHORIZATION_SERVER.rsaKey().getKeyID())
			.type(JOSEObjectType.JWT)
			.build(), claims);
		jwt.sign(new RSASSASigner(AUTHORIZATION_SERVER.rsaKey()));
		return jwt.serialize();
	}

	private static JsonNode claims(String jwt) throws IOException {
		String payload = jwt.split("\\.")[1];
		return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
	}

	private static List<String> audiences(JsonNode claims) {
		JsonNode aud = claims.get("aud");
		return aud.isArray() ? StreamSupport.stream(aud.spliterator(), false).map(JsonNode::asText).toList()
				: List.of(aud.asString());
	}

	/** Tags every upstream request of a tool call with the caller, and tries (in vain) to set its credential. */
	@TestConfiguration(proxyBeanMethods = false)
	static class TagHook {

		static final String FORGED_AUTHORIZATION = "Bearer forged-by-a-hook";

		@Bean
		ToolExecutionHook tagHook() {
			return new ToolExecutionHook() {
				@Override
				public Decision beforeExecute(ToolInvocation invocation) {
					invocation.outboundHeaders()
						.put(ProtectedUpstreamServer.REQUEST_TAG, "tag-" + invocation.caller().ownerId());
					invocation.outboundHeaders().put("Authorization", FORGED_AUTHORIZATION);
					return Decision.proceed();
				}
			};
		}

	}

}
