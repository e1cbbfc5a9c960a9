package dev.mcpgovernance.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import dev.mcpgovernance.identity.apikey.ApiKeyHasher;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over HTTP on a running server with keys in the JDBC store (H2): a key created
 * there works on the MCP endpoint through the MCP client, rotation and revocation take effect at
 * once, and nobody can grant more than they hold.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.admin.enabled=true",
				"spring.datasource.url=jdbc:h2:mem:admin-it;DB_CLOSE_DELAY=-1" })
class AdminApiIntegrationTests {

	private static final String PEPPER = "integration-test-pepper-0123456789abcdef";

	private static final String ADMIN_KEY = ApiKeyGenerator.newSecret();

	private static final String READER_ADMIN_KEY = ApiKeyGenerator.newSecret();

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void keys(DynamicPropertyRegistry registry) {
		ApiKeyHasher hasher = new ApiKeyHasher(PEPPER);
		registry.add("mcp.governance.api-keys.pepper", () -> PEPPER);
		declare(registry, 0, "key_admin", hasher.hash(ADMIN_KEY), "governance:admin:*", "orders:*:read");
		declare(registry, 1, "key_auditor", hasher.hash(READER_ADMIN_KEY), "governance:admin:read", "orders:*:*");
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

	private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp-governance/admin" + path))
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (key != null) {
			request.header("X-API-Key", key);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anonymousCallersGet401AndReadOnlyAdminsCannotWrite() throws Exception {
		assertThat(send("GET", "/api-keys", null, null).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/api-keys", READER_ADMIN_KEY, null).statusCode()).isEqualTo(200);
		HttpResponse<String> write = send("POST", "/api-keys", READER_ADMIN_KEY,
				"{\"ownerId\":\"x\",\"scopes\":[\"orders:order:read\"]}");
		assertThat(write.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(write.body()).at("/details/required_scope").asString()).isEqualTo("governance:admin:write");
	}

	@Test
	void aCreatedKeyWorksOnMcpAndIsShownOnceWithoutItsSecretAfterwards() throws Exception {
		HttpResponse<String> created = send("POST", "/api-keys", ADMIN_KEY,
				"{\"ownerId\":\"agent-7\",\"ownerLabel\":\"Agent 7\",\"scopes\":[\"orders:order:read\"],\"rateLimitRpm\":30}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = JSON.readTree(created.body());
		String secret = body.get("secret").asString();
		String id = body.at("/key/id").asString();
		assertThat(secret).startsWith("sk_");
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", secret)) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
		HttpResponse<String> list = send("GET", "/api-keys", ADMIN_KEY, null);
		assertThat(list.body()).contains(id, "agent-7").doesNotContain(secret).doesNotContain("hash");
	}

	@Test
	void rotationAndRevocationTakeEffectAtOnce() throws Exception {
		JsonNode created = JSON.readTree(send("POST", "/api-keys", ADMIN_KEY,
				"{\"ownerId\":\"agent-8\",\"scopes\":[\"orders:order:read\"]}").body());
		String oldSecret = created.get("secret").asString();
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", oldSecret)
			.statusCode()).isEqualTo(200);

		HttpResponse<String> rotated = send("POST", "/api-keys/" + created.at("/key/id").asString() + "/rotate", ADMIN_KEY,
				null);
		assertThat(rotated.statusCode()).isEqualTo(201);
		String newSecret = JSON.readTree(rotated.body()).get("secret").asString();
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", oldSecret)
			.statusCode()).isEqualTo(401);
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", newSecret)
			.statusCode()).isEqualTo(200);

		String newId = JSON.readTree(rotated.body()).at("/key/id").asString();
		assertThat(send("DELETE", "/api-keys/" + newId, ADMIN_KEY, null).statusCode()).isEqualTo(204);
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", newSecret)
			.statusCode()).isEqualTo(401);
		assertThat(send("DELETE", "/api-keys/" + newId, ADMIN_KEY, null).statusCode()).isEqualTo(404);
	}

	@Test
	void nobodyGrantsMoreThanTheyHold() throws Exception {
		HttpResponse<String> wider = send("POST", "/api-keys", ADMIN_KEY,
				"{\"ownerId\":\"x\",\"scopes\":[\"orders:order:cancel\"]}");
		assertThat(wider.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(wider.body()).get("error_code").asString()).isEqualTo("forbidden");
		HttpResponse<String> wildcard = send("POST", "/api-keys", ADMIN_KEY,
				"{\"ownerId\":\"x\",\"scopes\":[\"orders:*:*\"]}");
		assertThat(wildcard.statusCode()).isEqualTo(403);
	}

	@Test
	void badRequestsAreRefusedNamingTheField() throws Exception {
		HttpResponse<String> malformed = send("POST", "/api-keys", ADMIN_KEY,
				"{\"ownerId\":\"x\",\"scopes\":[\"Orders:order:read\"]}");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(malformed.body()).at("/details/field").asString()).isEqualTo("scopes");
		HttpResponse<String> noOwner = send("POST", "/api-keys", ADMIN_KEY, "{\"scopes\":[\"orders:order:read\"]}");
		assertThat(noOwner.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(noOwner.body()).at("/details/field").asString()).isEqualTo("ownerId");
		assertThat(send("DELETE", "/api-keys/key_admin", ADMIN_KEY, null).statusCode()).isEqualTo(409);
	}

}
