package dev.mcpgovernance.resource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.lint.Finding;
import dev.mcpgovernance.lint.GovernanceReporter;
import dev.mcpgovernance.scope.ScopeSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification;
import io.modelcontextprotocol.spec.McpSchema.SubscribeRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.UnsubscribeRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Resources, resource templates, prompts and completions on the tools' path, through the MCP Java
 * SDK client over streamable HTTP: a caller sees in each list only what it may read, reads and gets
 * are allowed with the scope and refused without it (a JSON-RPC error naming the scope), an
 * ungoverned resource or prompt is refused, completions and subscriptions are refused where the
 * caller may not read, resource updates reach only subscribers allowed to read, contents are
 * redacted, every read, get, subscription and completion leaves one audit row holding the URI
 * template and the shape of the variables, never their values, and the lint names what is ungoverned.
 */
@SpringBootTest(classes = ResourceTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:resource-governance;DB_CLOSE_DELAY=-1",
				"mcp.governance.audit.flush-interval=50ms",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class ResourceGovernanceIntegrationTests {

	static final String AUDIT = "SELECT tool, outcome, error_code, domain, resource, action, argument_shape"
			+ " FROM mcp_governance_audit WHERE owner_id = ? ORDER BY occurred_at, id";

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	McpSyncServer server;

	@Autowired
	GovernanceReporter reporter;

	@Autowired
	MeterRegistry meters;

	String key(String owner, String... scopes) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	McpSyncClient connect(String key) {
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	/** The audit rows of one owner as {@code tool|outcome|error_code|domain|resource|action}, once {@code count} are written. */
	List<String> rows(String owner, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> all(owner).size() >= count);
		return all(owner).stream()
			.map((row) -> String.join("|", String.valueOf(row.get("TOOL")), String.valueOf(row.get("OUTCOME")),
					String.valueOf(row.get("ERROR_CODE")), String.valueOf(row.get("DOMAIN")),
					String.valueOf(row.get("RESOURCE")), String.valueOf(row.get("ACTION"))))
			.toList();
	}

	List<Map<String, Object>> all(String owner) {
		return this.jdbc.sql(AUDIT).param(owner).query().listOfRows();
	}

	static McpError refusal(ThrowingCallable request) {
		McpError error = catchThrowableOfType(McpError.class, request);
		assertThat(error).as("the request is refused with a JSON-RPC error").isNotNull();
		return error;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> envelope(McpError error) {
		return (Map<String, Object>) error.getJsonRpcError().data();
	}

	static String text(ReadResourceResult result) {
		return ((TextResourceContents) result.contents().get(0)).text();
	}

	@Test
	void eachListShowsOnlyWhatTheCallerMayRead() {
		try (McpSyncClient reader = connect(key("lists-reader", "orders:order:read"));
				McpSyncClient other = connect(key("lists-other", "inventory:item:read"))) {
			assertThat(reader.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.containsExactly("orders://{orderId}");
			assertThat(reader.listResources().resources()).extracting(Resource::uri).isEmpty();
			assertThat(reader.listPrompts().prompts()).extracting(Prompt::name).containsExactly("summarize_order");

			assertThat(other.listResourceTemplates().resourceTemplates()).isEmpty();
			assertThat(other.listResources().resources()).isEmpty();
			assertThat(other.listPrompts().prompts()).isEmpty();
		}
		try (McpSyncClient stats = connect(key("lists-stats", "orders:*:read"))) {
			assertThat(stats.listResources().resources()).extracting(Resource::uri)
				.containsExactlyInAnyOrder("orders://stats", "orders://recent");
			assertThat(stats.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.containsExactly("orders://{orderId}");
		}
	}

	@Test
	void aReaderReadsTheResourceRedactedAndTheReadIsAuditedByTemplateAndShape() {
		String owner = "read-" + UUID.randomUUID();
		try (McpSyncClient reader = connect(key(owner, "orders:order:read"))) {
			String text = text(reader.readResource(new ReadResourceRequest("orders://o-4711")));
			assertThat(text).contains("\"orderId\":\"o-4711\"").contains("shipped").doesNotContain("hunter2");
		}
		assertThat(rows(owner, 1)).containsExactly("resources/read orders://{orderId}|ok|null|orders|order|read");
		Map<String, Object> row = all(owner).get(0);
		assertThat(row.get("ARGUMENT_SHAPE"))
			.isEqualTo("{\"type\":\"object\",\"fields\":1,\"children\":[{\"type\":\"string\",\"length\":6}]}");
		assertThat(row.values()).noneMatch((value) -> String.valueOf(value).contains("4711"));
		// Timed like a tool call, under the same name.
		assertThat(this.meters.get("mcp.governance.tool.calls")
			.tags("tool", "resources/read orders://{orderId}", "domain", "orders", "outcome", "ok")
			.timer()
			.count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void aCallerWithoutTheScopeIsRefusedWithAnErrorNamingTheScope() {
		String owner = "refused-" + UUID.randomUUID();
		try (McpSyncClient other = connect(key(owner, "inventory:item:read"))) {
			McpError error = refusal(() -> other.readResource(new ReadResourceRequest("orders://o-4711")));
			assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
			assertThat(error.getJsonRpcError().message()).contains("orders:order:read").doesNotContain("o-4711");
			assertThat(envelope(error)).containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "orders:order:read"));

			McpError stats = refusal(() -> other.readResource(new ReadResourceRequest("orders://stats")));
			assertThat(stats.getJsonRpcError().message()).contains("orders:stats:read");
		}
		assertThat(rows(owner, 2)).containsExactly("resources/read orders://{orderId}|denied|forbidden|orders|order|read",
				"resources/read orders://stats|denied|forbidden|orders|stats|read");
	}

	@Test
	void anUngovernedResourceOrPromptIsRefusedToEveryone() {
		String owner = "ungoverned-" + UUID.randomUUID();
		try (McpSyncClient admin = connect(key(owner, "orders:*:*", "notes:*:*"))) {
			McpError note = refusal(() -> admin.readResource(new ReadResourceRequest("notes://n-1")));
			assertThat(envelope(note)).containsEntry("error_code", "forbidden");
			assertThat(note.getJsonRpcError().message()).contains("not governed");
			McpError prompt = refusal(() -> admin.getPrompt(new GetPromptRequest("free_prompt", Map.of("topic", "x"))));
			assertThat(envelope(prompt)).containsEntry("error_code", "forbidden");
		}
		assertThat(rows(owner, 2)).containsExactly("resources/read notes://{noteId}|denied|forbidden|null|null|null",
				"prompts/get free_prompt|denied|forbidden|null|null|null");
	}

	@Test
	void promptsGetIsAllowedWithTheScopeAndRefusedWithout() {
		String owner = "prompt-" + UUID.randomUUID();
		String other = "prompt-other-" + UUID.randomUUID();
		try (McpSyncClient reader = connect(key(owner, "orders:order:read"));
				McpSyncClient stranger = connect(key(other, "inventory:item:read"))) {
			var result = reader.getPrompt(new GetPromptRequest("summarize_order", Map.of("orderId", "o-9")));
			assertThat(((TextContent) result.messages().get(0).content()).text()).isEqualTo("Summarize order o-9.");
			assertThat(((TextContent) result.messages().get(1).content()).text()).contains("shipped")
				.doesNotContain("hunter2");

			McpError error = refusal(
					() -> stranger.getPrompt(new GetPromptRequest("summarize_order", Map.of("orderId", "o-9"))));
			assertThat(envelope(error)).containsEntry("details", Map.of("required_scope", "orders:order:read"));
		}
		assertThat(rows(owner, 1)).containsExactly("prompts/get summarize_order|ok|null|orders|order|read");
		assertThat(rows(other, 1)).containsExactly("prompts/get summarize_order|denied|forbidden|orders|order|read");
	}

	@Test
	void completionIsRefusedWhereTheCallerMayNotRead() {
		String owner = "complete-" + UUID.randomUUID();
		String other = "complete-other-" + UUID.randomUUID();
		CompleteRequest promptArgument = new CompleteRequest(new PromptReference("summarize_order"),
				new CompleteRequest.CompleteArgument("orderId", "o-"));
		CompleteRequest templateVariable = new CompleteRequest(new ResourceReference("orders://{orderId}"),
				new CompleteRequest.CompleteArgument("orderId", "o-"));
		try (McpSyncClient reader = connect(key(owner, "orders:order:read"));
				McpSyncClient stranger = connect(key(other, "inventory:item:read"))) {
			CompleteResult prompt = reader.completeCompletion(promptArgument);
			assertThat(prompt.completion().values()).containsExactly("o-1", "o-2");
			CompleteResult template = reader.completeCompletion(templateVariable);
			assertThat(template.completion().values()).containsExactly("o-7");

			assertThat(envelope(refusal(() -> stranger.completeCompletion(promptArgument))))
				.containsEntry("details", Map.of("required_scope", "orders:order:read"));
			assertThat(envelope(refusal(() -> stranger.completeCompletion(templateVariable))))
				.containsEntry("error_code", "forbidden");
		}
		assertThat(rows(owner, 2)).containsExactly("completion/complete summarize_order|ok|null|orders|order|read",
				"completion/complete orders://{orderId}|ok|null|orders|order|read");
		assertThat(rows(other, 2)).containsExactly(
				"completion/complete summarize_order|denied|forbidden|orders|order|read",
				"completion/complete orders://{orderId}|denied|forbidden|orders|order|read");
	}

	@Test
	void aFailingCompletionIsAuditedWithItsErrorOnceItsHandlerHasRun() {
		String owner = "complete-failing-" + UUID.randomUUID();
		try (McpSyncClient reader = connect(key(owner, "orders:order:read"))) {
			McpError error = refusal(() -> reader.completeCompletion(new CompleteRequest(
					new ResourceReference("orders://{orderId}"), new CompleteRequest.CompleteArgument("orderId", "fail"))));
			assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.FAILED);
			assertThat(envelope(error)).containsEntry("error_code", "internal_error");
			assertThat(error.getJsonRpcError().toString()).doesNotContain("SELECT", "hunter2", "IllegalStateException");
		}
		assertThat(rows(owner, 1))
			.containsExactly("completion/complete orders://{orderId}|error|internal_error|orders|order|read");
		assertThat(all(owner).get(0).values()).noneMatch((value) -> String.valueOf(value).contains("fail"));
	}

	@Test
	void onlyASubscriberAllowedToReadIsSubscribedAndNotified() {
		String owner = "subscribe-" + UUID.randomUUID();
		String other = "subscribe-other-" + UUID.randomUUID();
		List<List<ResourceContents>> readerUpdates = new CopyOnWriteArrayList<>();
		List<List<ResourceContents>> strangerUpdates = new CopyOnWriteArrayList<>();
		try (McpSyncClient reader = subscribing(key(owner, "orders:order:read"), readerUpdates);
				McpSyncClient stranger = subscribing(key(other, "inventory:item:read"), strangerUpdates)) {
			reader.subscribeResource(new SubscribeRequest("orders://o-5"));
			McpError error = refusal(() -> stranger.subscribeResource(new SubscribeRequest("orders://o-5")));
			assertThat(envelope(error)).containsEntry("details", Map.of("required_scope", "orders:order:read"));

			this.server.notifyResourcesUpdated(new ResourcesUpdatedNotification("orders://o-5"));

			await().atMost(Duration.ofSeconds(10)).until(() -> !readerUpdates.isEmpty());
			assertThat(((TextResourceContents) readerUpdates.get(0).get(0)).text()).contains("o-5");
			// The stranger's session would have been told by now if it were going to be.
			assertThat(strangerUpdates).isEmpty();
		}
		// The reader's client re-reads the resource when told of the update.
		assertThat(rows(owner, 2)).containsExactly("resources/subscribe orders://{orderId}|ok|null|orders|order|read",
				"resources/read orders://{orderId}|ok|null|orders|order|read");
		assertThat(rows(other, 1))
			.containsExactly("resources/subscribe orders://{orderId}|denied|forbidden|orders|order|read");
	}

	@Test
	void unsubscribingIsCheckedAndAuditedLikeSubscribing() {
		String owner = "unsubscribe-" + UUID.randomUUID();
		String other = "unsubscribe-other-" + UUID.randomUUID();
		try (McpSyncClient reader = connect(key(owner, "orders:order:read"));
				McpSyncClient stranger = connect(key(other, "inventory:item:read"))) {
			reader.subscribeResource(new SubscribeRequest("orders://o-6"));
			reader.unsubscribeResource(new UnsubscribeRequest("orders://o-6"));
			McpError error = refusal(() -> stranger.unsubscribeResource(new UnsubscribeRequest("orders://o-6")));
			assertThat(envelope(error)).containsEntry("details", Map.of("required_scope", "orders:order:read"));
		}
		assertThat(rows(owner, 2)).containsExactly("resources/subscribe orders://{orderId}|ok|null|orders|order|read",
				"resources/unsubscribe orders://{orderId}|ok|null|orders|order|read");
		assertThat(rows(other, 1))
			.containsExactly("resources/unsubscribe orders://{orderId}|denied|forbidden|orders|order|read");
		assertThat(all(owner)).allSatisfy((row) -> assertThat(row.values())
			.noneMatch((value) -> String.valueOf(value).contains("o-6")));
	}

	@Test
	void readsAreRateLimitedPerCaller() {
		String owner = "limited-" + UUID.randomUUID();
		try (McpSyncClient reader = connect(key(owner, "orders:recent:read"));
				McpSyncClient other = connect(key(owner + "-other", "orders:recent:read"))) {
			reader.readResource(new ReadResourceRequest("orders://recent"));
			reader.readResource(new ReadResourceRequest("orders://recent"));
			McpError limited = refusal(() -> reader.readResource(new ReadResourceRequest("orders://recent")));
			assertThat(limited.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
			assertThat(envelope(limited)).containsEntry("error_code", "rate_limited");
			assertThat(envelope(limited).get("details")).asString().contains("retry_after_s");
			// Per caller: another key still reads.
			assertThat(text(other.readResource(new ReadResourceRequest("orders://recent")))).isEqualTo("[]");
		}
		assertThat(rows(owner, 3)).containsExactly("resources/read orders://recent|ok|null|orders|recent|read",
				"resources/read orders://recent|ok|null|orders|recent|read",
				"resources/read orders://recent|rate_limited|rate_limited|orders|recent|read");
	}

	@Test
	void theProtectedResourceMetadataListsTheScopesOfResourcesAndPrompts() throws Exception {
		var metadata = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/.well-known/oauth-protected-resource"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(metadata.body()).contains("\"orders:order:read\"", "\"orders:stats:read\"", "\"orders:recent:read\"");
	}

	@Test
	void theLintNamesEachUngovernedResourceAndPrompt() {
		assertThat(this.reporter.report().findings()).map(Finding::toString)
			.contains("[UNGOVERNED_RESOURCE] notes://{noteId}: has no @GovernedResource and no "
					+ "mcp.governance.resources.uris entry, so no scope: every caller is refused. Govern it with a scope, or remove it.",
					"[UNGOVERNED_PROMPT] free_prompt: has no @GovernedPrompt and no mcp.governance.resources.prompts entry, "
							+ "so no scope: every caller is refused. Govern it with a scope, or remove it.")
			.noneMatch((finding) -> finding.contains("orders://") || finding.contains("summarize_order"));
	}

	McpSyncClient subscribing(String key, List<List<ResourceContents>> updates) {
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
			.builder("http://127.0.0.1:" + this.port)
			.endpoint("/mcp")
			.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
			.build();
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(10))
			.resourcesUpdateConsumer(updates::add)
			.build();
		client.initialize();
		return client;
	}

}
