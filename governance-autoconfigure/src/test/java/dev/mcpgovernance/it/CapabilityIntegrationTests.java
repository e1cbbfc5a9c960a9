package dev.mcpgovernance.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.capability.Attenuation;
import dev.mcpgovernance.capability.CapabilityGrant;
import dev.mcpgovernance.capability.CapabilityIssuer;
import dev.mcpgovernance.capability.CapabilityTokens;
import dev.mcpgovernance.capability.MintedCapability;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import dev.mcpgovernance.identity.apikey.ApiKeyHasher;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernedTool;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.builder.Block;
import org.junit.jupiter.api.Test;
import org.springframework.ai.mcp.annotation.McpTool;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Capability tokens on the streamable-HTTP endpoint, through the MCP Java SDK's client: the token
 * in {@code X-MCP-Capability} is the caller, narrowing holds on every call, and each way a token can
 * be wrong is refused with 401 on its own. This server mints with key 1 and also trusts key 2
 * (rotation); tokens come from the admin API and from {@link CapabilityIssuer} directly.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, CapabilityIntegrationTests.LimitTools.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.admin.enabled=true",
				"spring.datasource.url=jdbc:h2:mem:capability-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.capability.signing-key.id=1" })
class CapabilityIntegrationTests {

	private static final String PEPPER = "integration-test-pepper-0123456789abcdef";

	private static final String MINTER_KEY = ApiKeyGenerator.newSecret();

	private static final String ORDERS_KEY = ApiKeyGenerator.newSecret();

	private static final KeyPair SIGNING_KEY = new KeyPair();

	private static final KeyPair SECOND_KEY = new KeyPair();

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	CapabilityIssuer issuer;

	@Autowired
	Redactor redactor;

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.capability.signing-key.private-key", SIGNING_KEY::toHex);
		// A list binds from one property source: both parts of the entry come from here.
		registry.add("mcp.governance.capability.public-keys[0].id", () -> 2);
		registry.add("mcp.governance.capability.public-keys[0].key", () -> SECOND_KEY.public_key().toHex());
		ApiKeyHasher hasher = new ApiKeyHasher(PEPPER);
		registry.add("mcp.governance.api-keys.pepper", () -> PEPPER);
		declare(registry, 0, "key_minter", hasher.hash(MINTER_KEY), "governance:capability:mint", "orders:*:read",
				"inventory:*:read");
		declare(registry, 1, "key_orders", hasher.hash(ORDERS_KEY), "governance:admin:write", "orders:*:*");
	}

	private static void declare(DynamicPropertyRegistry registry, int index, String id, String hash, String... scopes) {
		String prefix = "mcp.governance.api-keys.declared[" + index + "].";
		registry.add(prefix + "id", () -> id);
		registry.add(prefix + "hash", () -> hash);
		registry.add(prefix + "owner-id", () -> id);
		for (int i = 0; i < scopes.length; i++) {
			String scope = scopes[i];
			registry.add(prefix + "scopes[" + i + "]", () -> scope);
		}
	}

	/** A tool that reads the limit its caller's token sets. */
	public static class LimitTools {

		@McpTool(name = "list_orders", description = "List orders")
		@GovernedTool(domain = "orders", resource = "order", action = "read")
		public String listOrders() {
			return "max_rows=" + GovernanceContext.limit("max_rows").orElse(-1);
		}

	}

	private MintedCapability mint(String... scopes) {
		return this.issuer.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of(scopes)), Duration.ofHours(1)));
	}

	private McpSyncClient client(String token) {
		return McpTestClient.streamable(this.port, "X-MCP-Capability", token);
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	/** A token refused with 401 by the MCP endpoint, first through the MCP client, then raw. */
	private void assertRefused(String token, String reason) throws Exception {
		assertThatThrownBy(() -> client(token).close()).isNotNull();
		HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(),
				"X-MCP-Capability", token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying((challenge) -> assertThat(
				challenge)
			.startsWith("Bearer error=\"invalid_token\"")
			.contains("resource_metadata=\"http://127.0.0.1:" + this.port + "/.well-known/oauth-protected-resource"));
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("error_code").asString()).isEqualTo("unauthenticated");
		assertThat(body.get("message").asString()).isEqualTo(reason);
		assertThat(response.body()).doesNotContain(token).doesNotContain("biscuitsec").doesNotContain("Exception");
	}

	@Test
	void rootTokenIsTheCallerOnEveryCall() {
		MintedCapability minted = mint("orders:*:read", "inventory:*:read");
		try (McpSyncClient client = client(minted.token())) {
			CallToolResult order = call(client, "get_order", Map.of("orderId", "o-1"));
			assertThat(order.isError()).isFalse();
			// The answer is redacted like any tool result: the key id's 16 random hex characters are, about
			// once in a thousand tokens, 13 or more digits that pass the Luhn check, and are masked as a card number.
			assertThat(text(call(client, "whoami", Map.of())))
				.startsWith("\"" + this.redactor.redactText("agent-1|" + minted.keyId() + "|capability|"));
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
					"forbidden")
				.containsEntry("details", Map.of("required_scope", "orders:order:cancel"));
		}
	}

	@Test
	void tokenNarrowedToOneToolCannotCallAnotherItsScopesCover() {
		String token = CapabilityTokens.attenuate(mint("orders:*:*").token(), Attenuation.none().tools("get_order"));
		try (McpSyncClient client = client(token)) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			CallToolResult refused = call(client, "cancel_order", Map.of("orderId", "o-1"));
			assertThat(error(refused)).containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("tool", "cancel_order"));
		}
	}

	@Test
	void attenuationBlockThatAddsAToolIsRefusedThatTool() throws Exception {
		String narrowed = CapabilityTokens.attenuate(mint("orders:*:*").token(), Attenuation.none().tools("get_order"));
		// Written with Biscuit itself: the next holder tries to add the tool back.
		Biscuit biscuit = Biscuit.from_b64url(narrowed, SIGNING_KEY.public_key());
		Block widening = biscuit.create_block();
		widening.add_fact("tool(\"cancel_order\")");
		widening.add_fact("operation(\"connect\")");
		widening.add_fact("scope(\"orders:*:*\")");
		String widened = biscuit.attenuate(widening).serialize_b64url();
		try (McpSyncClient client = client(widened)) {
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
					"forbidden");
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
	}

	@Test
	void handlerSeesTheSmallestLimitOfTheChain() {
		MintedCapability minted = this.issuer.mint(CapabilityGrant
			.of("agent-1", ScopeSet.parse(List.of("orders:*:read")), Duration.ofHours(1))
			.withLimits(Map.of("max_rows", 100L)));
		String token = CapabilityTokens.attenuate(minted.token(), Attenuation.none().limit("max_rows", 25));
		String wider = CapabilityTokens.attenuate(token, Attenuation.none().limit("max_rows", 1000));
		try (McpSyncClient root = client(minted.token()); McpSyncClient worker = client(wider)) {
			assertThat(text(call(root, "list_orders", Map.of()))).isEqualTo("max_rows=100");
			assertThat(text(call(worker, "list_orders", Map.of()))).isEqualTo("max_rows=25");
		}
	}

	@Test
	void tokenOfTheSecondTrustedKeyIsAccepted() {
		CapabilityIssuer rotated = new CapabilityIssuer(SECOND_KEY, 2, Duration.ofHours(1), Clock.systemUTC());
		String token = rotated
			.mint(CapabilityGrant.of("agent-2", ScopeSet.parse(List.of("orders:*:read")), Duration.ofMinutes(5)))
			.token();
		try (McpSyncClient client = client(token)) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
	}

	@Test
	void expiredTokenIsRefused() throws Exception {
		CapabilityIssuer yesterday = new CapabilityIssuer(SIGNING_KEY, 1, Duration.ofHours(24),
				Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
		String token = yesterday
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:read")), Duration.ofHours(1)))
			.token();
		assertRefused(token, "The capability token has expired.");
		String shortened = CapabilityTokens.attenuate(mint("orders:*:read").token(),
				Attenuation.none().expiresAt(Instant.now().minusSeconds(1)));
		assertRefused(shortened, "The capability token has expired.");
	}

	@Test
	void tokenWithABadSignatureIsRefused() throws Exception {
		CapabilityIssuer forger = new CapabilityIssuer(new KeyPair(), 1, Duration.ofHours(1), Clock.systemUTC());
		String forged = forger
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofMinutes(5)))
			.token();
		assertRefused(forged, "The capability token's signature is not valid.");
	}

	@Test
	void tokenOfAnUnknownKeyIsRefused() throws Exception {
		CapabilityIssuer unknown = new CapabilityIssuer(new KeyPair(), 9, Duration.ofHours(1), Clock.systemUTC());
		String token = unknown
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofMinutes(5)))
			.token();
		assertRefused(token, "The capability token names a signing key this server does not trust.");
	}

	@Test
	void malformedTokenIsRefused() throws Exception {
		assertRefused("eyJub3QiOiJhIHRva2VuIn0", "The capability token is malformed.");
	}

	@Test
	void missingCredentialGetsThePlain401() throws Exception {
		HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).doesNotContain("invalid_token")
			.contains("resource_metadata=");
	}

	@Test
	void capabilityTogetherWithAnotherCredentialIsRefusedAsAmbiguous() throws Exception {
		HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(),
				"X-MCP-Capability", mint("orders:order:read").token(), "X-API-Key", ORDERS_KEY);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(response.body()).get("message").asString())
			.isEqualTo("Send either a capability token or another credential, not both.");
	}

	@Test
	void adminApiMintsNoMoreThanTheCallerHolds() throws Exception {
		HttpResponse<String> minted = mintOverHttp(MINTER_KEY, """
				{"subject":"worker-9","label":"Worker 9","scopes":["orders:order:read"],"tools":["get_order"],
				 "ttl":"PT10M","limits":{"max_rows":5}}""");
		assertThat(minted.statusCode()).isEqualTo(201);
		JsonNode body = JSON.readTree(minted.body());
		assertThat(body.get("keyId").asString()).matches("cap:1#[0-9a-f]{16}");
		try (McpSyncClient client = client(body.get("token").asString())) {
			assertThat(text(call(client, "whoami", Map.of())).isEmpty()).isFalse();
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			// The token's authority scope covers list_orders, its tool list does not.
			assertThat(error(call(client, "list_orders", Map.of()))).containsEntry("error_code", "forbidden");
		}

		HttpResponse<String> widening = mintOverHttp(MINTER_KEY,
				"{\"subject\":\"worker-9\",\"scopes\":[\"orders:*:*\"],\"ttl\":\"PT10M\"}");
		assertThat(widening.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(widening.body()).get("error_code").asString()).isEqualTo("forbidden");

		HttpResponse<String> withoutMintScope = mintOverHttp(ORDERS_KEY,
				"{\"subject\":\"worker-9\",\"scopes\":[\"orders:order:read\"],\"ttl\":\"PT10M\"}");
		assertThat(withoutMintScope.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(withoutMintScope.body()).at("/details/required_scope").asString())
			.isEqualTo("governance:capability:mint");

		HttpResponse<String> tooLong = mintOverHttp(MINTER_KEY,
				"{\"subject\":\"worker-9\",\"scopes\":[\"orders:order:read\"],\"ttl\":\"P30D\"}");
		assertThat(tooLong.statusCode()).isEqualTo(400);
	}

	private HttpResponse<String> mintOverHttp(String apiKey, String body) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp-governance/admin/capabilities"))
			.header("Content-Type", "application/json")
			.header("X-API-Key", apiKey)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
