package dev.mcpgovernance.it.connector;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OpenAPI connector over the real Petstore 3 spec, against a real upstream HTTP server, called
 * through the MCP Java SDK's streamable-HTTP client by API-key callers: the generated tools are
 * scope-checked, validated, audited and answer like hand-written ones.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, OpenApiConnectorIntegrationTests.Listener.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:connector-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.connectors.petstore.spec=classpath:openapi/petstore3.json",
				"mcp.governance.connectors.petstore.domain=petstore",
				"mcp.governance.connectors.petstore.include=getPetById,findPetsByStatus,addPet,getUserByName,deletePet",
				"mcp.governance.connectors.petstore.names.getPetById=get_pet",
				"mcp.governance.connectors.petstore.allow-mutations=true",
				"mcp.governance.connectors.petstore.auth.type=bearer-from-env",
				"mcp.governance.connectors.petstore.auth.env=PETSTORE_SERVICE_TOKEN",
				"PETSTORE_SERVICE_TOKEN=service-token-4711" })
class OpenApiConnectorIntegrationTests {

	static final PetstoreUpstream UPSTREAM = startUpstream();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	Listener listener;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.connectors.petstore.base-url", UPSTREAM::baseUrl);
	}

	@AfterAll
	static void stopUpstream() {
		UPSTREAM.close();
	}

	@BeforeEach
	void clear() {
		UPSTREAM.clear();
		this.listener.events.clear();
	}

	private McpSyncClient client(String... scopes) {
		String key = this.apiKeys.create("pet-owner", "Pet owner", ScopeSet.parse(List.of(scopes)), null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	@Test
	@SuppressWarnings("unchecked")
	void generatedToolsCarryTheirSchemaAndHints() {
		try (McpSyncClient client = client("petstore:*:*")) {
			Map<String, Tool> tools = new HashMap<>();
			client.listTools().tools().forEach((tool) -> tools.put(tool.name(), tool));
			assertThat(tools).containsKeys("get_pet", "findPetsByStatus", "addPet", "getUserByName", "deletePet")
				.doesNotContainKeys("getPetById", "updatePet", "getInventory");
			Tool getPet = tools.get("get_pet");
			assertThat((List<Object>) getPet.inputSchema().get("required")).containsExactly("petId");
			assertThat((Map<String, Object>) ((Map<String, Object>) getPet.inputSchema().get("properties")).get("petId")).containsEntry("type", "integer");
			assertThat(getPet.annotations().readOnlyHint()).isTrue();
			assertThat(getPet.annotations().destructiveHint()).isFalse();
			Tool addPet = tools.get("addPet");
			assertThat((List<Object>) addPet.inputSchema().get("required")).containsExactly("body");
			assertThat(addPet.annotations().destructiveHint()).isTrue();
			assertThat(addPet.annotations().readOnlyHint()).isFalse();
		}
	}

	@Test
	void callReachesTheUpstreamWithTheServiceCredentialAndReturnsItsJson() {
		try (McpSyncClient client = client("petstore:pet:read")) {
			CallToolResult result = call(client, "get_pet", Map.of("petId", 7));
			assertThat(result.isError()).isFalse();
			assertThat(error(result)).containsEntry("id", 7).containsEntry("name", "doggie");
			PetstoreUpstream.Recorded request = UPSTREAM.lastRequest();
			assertThat(request.method()).isEqualTo("GET");
			assertThat(request.rawPath()).isEqualTo("/api/v3/pet/7");
			assertThat(request.authorization()).isEqualTo("Bearer service-token-4711");
		}
	}

	@Test
	void callsAreReportedToListenersLikeAnyGovernedTool() {
		try (McpSyncClient client = client("petstore:pet:read")) {
			call(client, "get_pet", Map.of("petId", 7));
		}
		ToolCallEvent event = this.listener.events.stream()
			.filter((e) -> e.toolName().equals("get_pet"))
			.findFirst()
			.orElseThrow();
		assertThat(event.outcome()).isEqualTo(CallOutcome.OK);
		assertThat(event.dataSource()).isEqualTo("openapi:petstore");
		assertThat(event.policy().requiredScope().toString()).isEqualTo("petstore:pet:read");
	}

	@Test
	void arrayAnswersAreWrappedAsStructuredContent() {
		try (McpSyncClient client = client("petstore:pet:read")) {
			CallToolResult result = call(client, "findPetsByStatus", Map.of("status", "available"));
			assertThat(result.isError()).isFalse();
			assertThat(error(result).get("items")).asList().hasSize(2);
			assertThat(UPSTREAM.lastRequest().rawQuery()).isEqualTo("status=available");
		}
	}

	@Test
	void callerWithoutTheDerivedScopeIsRefusedBeforeTheUpstream() {
		try (McpSyncClient client = client("petstore:pet:read")) {
			CallToolResult result = call(client, "addPet", Map.of("body", Map.of("name", "rex", "photoUrls", List.of())));
			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "petstore:pet:write"));
			CallToolResult user = call(client, "getUserByName", Map.of("username", "user1"));
			assertThat(error(user)).containsEntry("details", Map.of("required_scope", "petstore:user:read"));
		}
		assertThat(UPSTREAM.requests()).isEmpty();
	}

	@Test
	void mutationWithTheWriteScopeSendsTheJsonBody() {
		try (McpSyncClient client = client("petstore:pet:write")) {
			CallToolResult result = call(client, "addPet", Map.of("body", Map.of("name", "rex", "photoUrls", List.of())));
			assertThat(result.isError()).isFalse();
			assertThat(error(result)).containsEntry("id", 99).containsEntry("name", "rex");
			assertThat(UPSTREAM.lastRequest().body()).contains("\"name\":\"rex\"");
		}
	}

	@Test
	void badArgumentsAreRefusedNamingTheFieldAndNeverSent() {
		try (McpSyncClient client = client("petstore:pet:*")) {
			CallToolResult wrongType = call(client, "get_pet", Map.of("petId", "abc"));
			assertThat(error(wrongType)).containsEntry("error_code", "invalid_input")
				.containsEntry("details", Map.of("field", "petId"));
			CallToolResult notInEnum = call(client, "findPetsByStatus", Map.of("status", "stolen"));
			assertThat(error(notInEnum)).containsEntry("error_code", "invalid_input")
				.containsEntry("details", Map.of("field", "status"));
			assertThat((String) error(notInEnum).get("message")).doesNotContain("stolen");
			CallToolResult nestedMissing = call(client, "addPet", Map.of("body", Map.of("photoUrls", List.of())));
			assertThat(error(nestedMissing)).containsEntry("error_code", "invalid_input")
				.containsEntry("details", Map.of("field", "body.name"));
			CallToolResult smuggledHeader = call(client, "deletePet",
					Map.of("petId", 1, "Authorization", "Bearer stolen"));
			assertThat(error(smuggledHeader)).containsEntry("error_code", "invalid_input")
				.containsEntry("details", Map.of("field", "Authorization"));
		}
		assertThat(UPSTREAM.requests()).isEmpty();
	}

	@Test
	void upstreamFailureIsAnUpstreamErrorWithTheStatusOnly() {
		try (McpSyncClient client = client("petstore:pet:read")) {
			CallToolResult result = call(client, "get_pet", Map.of("petId", 500));
			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "upstream_error")
				.containsEntry("details", Map.of("status", 500));
			String text = ((TextContent) result.content().get(0)).text();
			assertThat(text).doesNotContain("PetDao", "IllegalStateException", "petstore-db", "X-Internal");
			CallToolResult notFound = call(client, "get_pet", Map.of("petId", 404));
			assertThat(error(notFound)).containsEntry("error_code", "upstream_error")
				.containsEntry("details", Map.of("status", 404));
			assertThat(((TextContent) notFound.content().get(0)).text()).doesNotContain("table pets");
		}
	}

	@Test
	void pathParameterTryingTraversalIsEncodedNotFollowed() {
		try (McpSyncClient client = client("petstore:user:read")) {
			CallToolResult result = call(client, "getUserByName", Map.of("username", "../admin"));
			assertThat(result.isError()).isFalse();
			assertThat(UPSTREAM.lastRequest().rawPath()).isEqualTo("/api/v3/user/..%2Fadmin");
			call(client, "getUserByName", Map.of("username", ".."));
			assertThat(UPSTREAM.lastRequest().rawPath()).isEqualTo("/api/v3/user/%2E%2E");
			call(client, "getUserByName", Map.of("username", "a b?c=d#e"));
			assertThat(UPSTREAM.lastRequest().rawPath()).isEqualTo("/api/v3/user/a%20b%3Fc=d%23e");
			assertThat(UPSTREAM.lastRequest().rawQuery()).isNull();
		}
		assertThat(UPSTREAM.requests()).allSatisfy((request) -> assertThat(request.rawPath()).startsWith("/api/v3/user/"));
	}

	@Test
	void headerParameterIsSentButNeverReplacesTheCredential() {
		try (McpSyncClient client = client("petstore:pet:write")) {
			call(client, "deletePet", Map.of("petId", 3, "api_key", "caller-key"));
		}
		PetstoreUpstream.Recorded request = UPSTREAM.lastRequest();
		assertThat(request.method()).isEqualTo("DELETE");
		assertThat(request.apiKey()).isEqualTo("caller-key");
		assertThat(request.authorization()).isEqualTo("Bearer service-token-4711");
	}

	private static PetstoreUpstream startUpstream() {
		try {
			return PetstoreUpstream.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Listener implements ToolCallListener {

		final List<ToolCallEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onToolCall(ToolCallEvent event) {
			this.events.add(event);
		}

	}

}
