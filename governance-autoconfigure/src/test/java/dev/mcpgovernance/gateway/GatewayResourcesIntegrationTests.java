package dev.mcpgovernance.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.resource.ResourceErrors;
import dev.mcpgovernance.resource.ResourceTestApplication;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of a real upstream Spring AI MCP server that offers resources, a resource
 * template and prompts, called through the MCP Java SDK client with API keys: each is governed like
 * the gateway application's own ({@link ResourceTestApplication}'s order resources): listed only to
 * a caller with its scope, read or got by that caller (redacted), refused to others with the
 * JSON-RPC error naming the scope, hidden entirely by a deny glob, under a scope override where one
 * matches, and audited under its URI template or prompt name, never the URI the caller sent.
 */
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:gateway-resources;DB_CLOSE_DELAY=-1",
				"mcp.governance.audit.flush-interval=50ms",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h",
				"mcp.governance.gateway.upstreams.library.denied-resources=library://staff",
				"mcp.governance.gateway.upstreams.library.resource-scopes.[books\\://*]=volume:read",
				"mcp.governance.gateway.upstreams.library.denied-prompts=internal_*",
				"mcp.governance.gateway.upstreams.library.prompt-scopes.[review_*]=library:review:read" })
class GatewayResourcesIntegrationTests {

	private static final String AUDIT = "SELECT tool, outcome, error_code, domain, resource, action, argument_shape"
			+ " FROM mcp_governance_audit WHERE owner_id = ? ORDER BY occurred_at, id";

	private static final ConfigurableApplicationContext library = UpstreamTestServer.library();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	McpGateway gateway;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.gateway.upstreams.library.url",
				() -> "http://127.0.0.1:" + UpstreamTestServer.port(library) + "/mcp");
	}

	@AfterAll
	static void stopUpstream() {
		library.close();
	}

	private McpSyncClient client(String owner, String... scopes) {
		String key = this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scopes)), null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	/** The audit rows of one owner as {@code tool|outcome|error_code|domain|resource|action}, once {@code count} are written. */
	private List<String> rows(String owner, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> all(owner).size() >= count);
		return all(owner).stream()
			.map((row) -> String.join("|", String.valueOf(row.get("TOOL")), String.valueOf(row.get("OUTCOME")),
					String.valueOf(row.get("ERROR_CODE")), String.valueOf(row.get("DOMAIN")),
					String.valueOf(row.get("RESOURCE")), String.valueOf(row.get("ACTION"))))
			.toList();
	}

	private List<Map<String, Object>> all(String owner) {
		return this.jdbc.sql(AUDIT).param(owner).query().listOfRows();
	}

	private static McpError refusal(ThrowingCallable request) {
		McpError error = catchThrowableOfType(McpError.class, request);
		assertThat(error).as("the request is refused with a JSON-RPC error").isNotNull();
		return error;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> envelope(McpError error) {
		return (Map<String, Object>) error.getJsonRpcError().data();
	}

	private static String text(ReadResourceResult result) {
		return ((TextResourceContents) result.contents().get(0)).text();
	}

	private static String text(GetPromptResult result) {
		return ((TextContent) result.messages().get(0).content()).text();
	}

	@Test
	void anUpstreamResourceIsListedAndReadByTheCallerWithItsScopeOnly() {
		String owner = "gw-read-" + UUID.randomUUID();
		String other = "gw-read-other-" + UUID.randomUUID();
		try (McpSyncClient reader = client(owner, "library:catalog:read");
				McpSyncClient stranger = client(other, "library:book:read")) {
			assertThat(reader.listResources().resources()).extracting(Resource::uri).containsExactly("library://catalog");
			String text = text(reader.readResource(new ReadResourceRequest("library://catalog")));
			// Redacted like a local read: the upstream's password never reaches the caller.
			assertThat(text).contains("\"books\":2").doesNotContain("upstream-secret-2");

			assertThat(stranger.listResources().resources()).extracting(Resource::uri)
				.doesNotContain("library://catalog");
			McpError error = refusal(() -> stranger.readResource(new ReadResourceRequest("library://catalog")));
			assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
			assertThat(error.getJsonRpcError().message()).contains("library:catalog:read");
			assertThat(envelope(error)).containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "library:catalog:read"));
		}
		assertThat(rows(owner, 1)).containsExactly("resources/read library://catalog|ok|null|library|catalog|read");
		assertThat(rows(other, 1))
			.containsExactly("resources/read library://catalog|denied|forbidden|library|catalog|read");
	}

	@Test
	void eachCallersReadsAndGetsGoOverItsOwnUpstreamSession() {
		String owner = "gw-session-" + UUID.randomUUID();
		String other = "gw-session-other-" + UUID.randomUUID();
		try (McpSyncClient a = client(owner, "library:whoami:read");
				McpSyncClient b = client(other, "library:whoami:read")) {
			// Each answer is the id of the upstream session the request arrived on.
			String first = text(a.readResource(new ReadResourceRequest("library://whoami")));
			String second = text(b.readResource(new ReadResourceRequest("library://whoami")));
			assertThat(first).isNotBlank().isNotEqualTo(second);
			assertThat(second).isNotBlank();
			// The caller keeps its session: its next read and its prompt get go over the same one.
			assertThat(text(a.readResource(new ReadResourceRequest("library://whoami")))).isEqualTo(first);
			assertThat(text(a.getPrompt(new GetPromptRequest("whoami", Map.of())))).isEqualTo(first);
			assertThat(text(b.getPrompt(new GetPromptRequest("whoami", Map.of())))).isEqualTo(second);
		}
	}

	@Test
	void aReadAndAGetAreAuditedAsAnsweredByTheUpstream() {
		String owner = "gw-source-" + UUID.randomUUID();
		try (McpSyncClient reader = client(owner, "library:catalog:read", "library:review:read")) {
			reader.readResource(new ReadResourceRequest("library://catalog"));
			reader.getPrompt(new GetPromptRequest("review_book", Map.of("isbn", "978-1")));
		}
		assertThat(rows(owner, 2)).hasSize(2);
		// Like a tool call through the gateway, each names the upstream that answered it.
		assertThat(this.jdbc.sql("SELECT data_source FROM mcp_governance_audit WHERE owner_id = ?")
			.param(owner)
			.query(String.class)
			.list()).containsExactly("upstream-library", "upstream-library");
	}

	@Test
	void anUpstreamPromptArgumentAndTemplateVariableAreCompletedByTheUpstreamForTheCallerWithTheirScopeOnly() {
		String owner = "gw-complete-" + UUID.randomUUID();
		String other = "gw-complete-other-" + UUID.randomUUID();
		CompleteRequest prompt = new CompleteRequest(new PromptReference("review_book"),
				new CompleteRequest.CompleteArgument("isbn", "978-0"), null, null);
		CompleteRequest template = new CompleteRequest(new ResourceReference("books://{isbn}"),
				new CompleteRequest.CompleteArgument("isbn", "979"), null, null);
		try (McpSyncClient reader = client(owner, "library:review:read", "library:volume:read");
				McpSyncClient stranger = client(other, "library:book:read", "library:catalog:read")) {
			// The upstream's values, by the prefix the caller sent: the request went to the upstream.
			assertThat(reader.completeCompletion(prompt).completion().values()).containsExactly("978-0441013593",
					"978-0553293357");
			assertThat(reader.completeCompletion(template).completion().values()).containsExactly("979-8888888888");

			McpError promptError = refusal(() -> stranger.completeCompletion(prompt));
			assertThat(promptError.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
			assertThat(envelope(promptError)).containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "library:review:read"));
			McpError templateError = refusal(() -> stranger.completeCompletion(template));
			assertThat(envelope(templateError)).containsEntry("details",
					Map.of("required_scope", "library:volume:read"));
		}
		assertThat(rows(owner, 2)).containsExactly("completion/complete review_book|ok|null|library|review|read",
				"completion/complete books://{isbn}|ok|null|library|volume|read");
		assertThat(rows(other, 2)).containsExactly(
				"completion/complete review_book|denied|forbidden|library|review|read",
				"completion/complete books://{isbn}|denied|forbidden|library|volume|read");
		// Named as answered by the upstream, as its reads are; the refused ones reached none.
		assertThat(this.jdbc.sql("SELECT data_source FROM mcp_governance_audit WHERE owner_id = ?")
			.param(owner)
			.query(String.class)
			.list()).containsExactly("upstream-library", "upstream-library");
		assertThat(all(owner)).allSatisfy(
				(row) -> assertThat(row.values()).noneMatch((value) -> String.valueOf(value).contains("978")));
	}

	@Test
	void whatTheUpstreamAddsOrRemovesIsExposedOrWithdrawnWhenItSaysItsListChangedNotAtTheNextRefresh() {
		McpSyncServer upstream = library.getBean(McpSyncServer.class);
		// The refresh interval is an hour: only the upstream's list_changed can bring these in.
		upstream.addResource(new McpServerFeatures.SyncResourceSpecification(
				Resource.builder().uri("library://news").name("news").mimeType("text/plain").build(),
				(exchange, request) -> new ReadResourceResult(
						List.of(new TextResourceContents(request.uri(), "text/plain", "new arrivals")))));
		upstream.addPrompt(new McpServerFeatures.SyncPromptSpecification(new Prompt("recommend", "Recommend", List.of()),
				(exchange, request) -> new GetPromptResult("recommend", List.of())));
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.gateway.exposedResourcesAndPrompts().get("library"))
					.contains("library://news", "recommend"));
			try (McpSyncClient reader = client("gw-news-" + UUID.randomUUID(), "library:news:read")) {
				assertThat(reader.listResources().resources()).extracting(Resource::uri).containsExactly("library://news");
				assertThat(text(reader.readResource(new ReadResourceRequest("library://news")))).isEqualTo("new arrivals");
			}
		}
		finally {
			upstream.removeResource("library://news");
			upstream.removePrompt("recommend");
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.gateway.exposedResourcesAndPrompts().get("library"))
				.doesNotContain("library://news", "recommend"));
	}

	@Test
	void aDeniedResourceIsHiddenEntirely() {
		try (McpSyncClient admin = client("gw-denied-" + UUID.randomUUID(), "library:*:*")) {
			assertThat(admin.listResources().resources()).extracting(Resource::uri)
				.contains("library://catalog")
				.doesNotContain("library://staff");
			McpError error = refusal(() -> admin.readResource(new ReadResourceRequest("library://staff")));
			assertThat(error.getJsonRpcError().message()).doesNotContain("Ada");
		}
		assertThat(this.gateway.exposedResourcesAndPrompts().get("library")).doesNotContain("library://staff");
	}

	@Test
	void aUriTheApplicationServesItselfStaysTheApplicationsOwn() {
		try (McpSyncClient admin = client("gw-collide-" + UUID.randomUUID(), "orders:*:read", "library:*:*")) {
			String text = text(admin.readResource(new ReadResourceRequest("orders://stats")));
			assertThat(text).doesNotContain("library");
		}
		assertThat(this.gateway.exposedResourcesAndPrompts().get("library")).doesNotContain("orders://stats");
	}

	@Test
	void anUpstreamTemplateIsReadUnderItsScopeOverrideAndAuditedByTemplateNotUri() {
		String owner = "gw-template-" + UUID.randomUUID();
		String other = "gw-template-other-" + UUID.randomUUID();
		try (McpSyncClient reader = client(owner, "library:volume:read");
				McpSyncClient stranger = client(other, "library:book:read", "library:catalog:read")) {
			assertThat(reader.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.containsExactly("books://{isbn}");
			assertThat(text(reader.readResource(new ReadResourceRequest("books://978-0441013593"))))
				.contains("\"title\":\"Dune\"")
				.contains("books://978-0441013593");

			assertThat(stranger.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.doesNotContain("books://{isbn}");
			McpError error = refusal(() -> stranger.readResource(new ReadResourceRequest("books://978-0441013593")));
			// The override "volume:read" in the upstream's domain, not the default library:book:read (its name).
			assertThat(envelope(error)).containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "library:volume:read"));
			assertThat(error.getJsonRpcError().message()).doesNotContain("978-0441013593");
		}
		assertThat(rows(owner, 1)).containsExactly("resources/read books://{isbn}|ok|null|library|volume|read");
		assertThat(rows(other, 1)).containsExactly("resources/read books://{isbn}|denied|forbidden|library|volume|read");
		assertThat(all(owner)).singleElement()
			.satisfies((row) -> assertThat(row.values()).noneMatch((value) -> String.valueOf(value).contains("978")));
	}

	@Test
	void anUpstreamPromptIsGotByTheCallerWithItsScopeOnlyAndADeniedOneIsHidden() {
		String owner = "gw-prompt-" + UUID.randomUUID();
		String other = "gw-prompt-other-" + UUID.randomUUID();
		try (McpSyncClient reader = client(owner, "library:review:read");
				McpSyncClient stranger = client(other, "library:*:*")) {
			assertThat(reader.listPrompts().prompts()).extracting(Prompt::name).containsExactly("review_book");
			GetPromptResult result = reader.getPrompt(new GetPromptRequest("review_book", Map.of("isbn", "978-1")));
			assertThat(((TextContent) result.messages().get(0).content()).text()).isEqualTo("review_book of 978-1");

			// library:*:* covers every scope of the domain, yet the deny glob hides internal_note even from it.
			assertThat(stranger.listPrompts().prompts()).extracting(Prompt::name)
				.contains("review_book")
				.doesNotContain("internal_note");
			refusal(() -> stranger.getPrompt(new GetPromptRequest("internal_note", Map.of("topic", "x"))));
		}
		try (McpSyncClient stranger = client(other, "library:catalog:read")) {
			assertThat(stranger.listPrompts().prompts()).extracting(Prompt::name).doesNotContain("review_book");
			McpError error = refusal(() -> stranger.getPrompt(new GetPromptRequest("review_book", Map.of("isbn", "978-1"))));
			assertThat(error.getJsonRpcError().message()).contains("library:review:read");
			assertThat(envelope(error)).containsEntry("error_code", "forbidden");
		}
		assertThat(rows(owner, 1)).containsExactly("prompts/get review_book|ok|null|library|review|read");
		assertThat(rows(other, 1)).contains("prompts/get review_book|denied|forbidden|library|review|read");
		assertThat(this.gateway.exposedResourcesAndPrompts().get("library")).contains("review_book")
			.doesNotContain("internal_note");
	}

	@Test
	void aSecondUpstreamWithTheSameUrisIsSkippedAndTakesOverOnlyWhenTheFirstIsRemoved() {
		UpstreamDefinition library = this.gateway.definitions()
			.stream()
			.filter((definition) -> definition.domain().equals("library"))
			.findFirst()
			.orElseThrow();
		this.gateway.add(UpstreamDefinition.of("shelf", library.url(), null, null, List.of(), List.of(), Map.of(),
				DownstreamAuth.none(), DownstreamAuth.none()));
		try {
			// What library exposes is not exposed twice; only what library's own deny globs hid is shelf's.
			assertThat(this.gateway.exposedResourcesAndPrompts().get("shelf")).containsExactly("internal_note",
					"library://staff");
			try (McpSyncClient shelf = client("gw-shelf-" + UUID.randomUUID(), "shelf:*:*")) {
				assertThat(shelf.listResources().resources()).extracting(Resource::uri).containsExactly("library://staff");
				refusal(() -> shelf.readResource(new ReadResourceRequest("library://catalog")));
			}

			this.gateway.remove("library");
			assertThat(this.gateway.exposedResourcesAndPrompts().get("shelf")).contains("library://catalog",
					"books://{isbn}", "review_book");
			try (McpSyncClient former = client("gw-former-" + UUID.randomUUID(), "library:*:*");
					McpSyncClient shelf = client("gw-shelf-" + UUID.randomUUID(), "shelf:catalog:read")) {
				// The removed upstream's policies went with it: its scopes no longer open anything.
				assertThat(former.listResources().resources()).extracting(Resource::uri)
					.doesNotContain("library://catalog");
				McpError error = refusal(() -> former.readResource(new ReadResourceRequest("library://catalog")));
				assertThat(error.getJsonRpcError().message()).contains("shelf:catalog:read");
				assertThat(text(shelf.readResource(new ReadResourceRequest("library://catalog")))).contains("\"books\":2");
			}
		}
		finally {
			this.gateway.remove("shelf");
			if (this.gateway.definitions().stream().noneMatch((definition) -> definition.domain().equals("library"))) {
				this.gateway.add(library);
			}
		}
		assertThat(this.gateway.exposedResourcesAndPrompts().get("library")).contains("library://catalog");
	}

}
