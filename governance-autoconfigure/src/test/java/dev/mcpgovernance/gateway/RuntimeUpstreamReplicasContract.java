package dev.mcpgovernance.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Upstreams added through the admin API as several replicas see them: two governed servers
 * ("replicas") on one database, a real upstream MCP server that records the Authorization header
 * it gets, and real MCP clients. What one replica adds or removes, the other follows at its next
 * refresh; a new replica starts with it; configured upstreams stay out of reach; credentials are
 * only ever names; every change is in the shared audit trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RuntimeUpstreamReplicasContract {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final String TOKEN = "upstream-bearer-" + UUID.randomUUID();

	private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();

	private ConfigurableApplicationContext tickets;

	private ConfigurableApplicationContext crm;

	private ConfigurableApplicationContext library;

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	private String admin;

	/** The JDBC URL both replicas share. */
	abstract String databaseUrl();

	void createDatabase() throws Exception {
	}

	void dropDatabase() throws Exception {
	}

	@BeforeAll
	void start() throws Exception {
		createDatabase();
		this.tickets = UpstreamTestServer.tickets(this.authorizations);
		this.crm = UpstreamTestServer.crm();
		this.library = UpstreamTestServer.library();
		this.first = replica("1h");
		this.second = replica("1h");
		this.admin = this.first.getBean(ApiKeyManager.class)
			.create("upstream-admin", null, ScopeSet.parse(List.of("governance:upstream:*")), null, null)
			.secret();
	}

	@AfterAll
	void stop() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.second, this.first,
				this.crm, this.tickets, this.library }) {
			if (context != null) {
				context.close();
			}
		}
		dropDatabase();
	}

	@Test
	void anUpstreamAddedOnOneReplicaIsCallableOnTheOtherAfterItsRefreshAndGoneAfterRemoval() throws Exception {
		HttpResponse<String> added = send(this.first, "POST", "", addBody("helpdesk", null));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		assertThat(JSON.readTree(added.body()).get("state").asString()).isEqualTo("up");

		String caller = key(this.second, "helpdesk:*:*");
		try (McpSyncClient client = McpTestClient.streamable(port(this.second), "X-API-Key", caller)) {
			// Stored, but not yet run by the second replica.
			assertThat(upstream(this.second, "helpdesk").get("state").asString()).isEqualTo("pending");
			assertThat(toolNames(client)).doesNotContain("helpdesk_lookup");

			assertThat(send(this.second, "POST", "/refresh", null).statusCode()).isEqualTo(200);

			JsonNode listed = upstream(this.second, "helpdesk");
			assertThat(listed.get("state").asString()).isEqualTo("up");
			assertThat(listed.get("origin").asString()).isEqualTo("admin");
			assertThat(listed.get("tools").asInt()).isEqualTo(2);
			// Both names collide (with the configured upstream's lookup, the local get_order): prefixed.
			assertThat(toolNames(client)).contains("helpdesk_lookup", "helpdesk_get_order")
				.doesNotContain("helpdesk_open_ticket", "open_ticket");
			CallToolResult result = call(client, "helpdesk_lookup", Map.of("query", "x"));
			assertThat(result.isError()).isFalse();
			assertThat(result.content().toString()).contains("tickets:x");

			assertThat(send(this.first, "DELETE", "/helpdesk", null).statusCode()).isEqualTo(204);
			// The first replica dropped it at once; the second still runs it until its refresh.
			assertThat(upstream(this.first, "helpdesk")).isNull();
			assertThat(call(client, "helpdesk_lookup", Map.of("query", "x")).isError()).isFalse();

			send(this.second, "POST", "/refresh", null);

			assertThat(upstream(this.second, "helpdesk")).isNull();
			assertThat(toolNames(client)).doesNotContain("helpdesk_lookup");
			// Outside progressive discovery the MCP server itself answers for a tool it does not have.
			assertThatExceptionOfType(McpError.class).isThrownBy(() -> call(client, "helpdesk_lookup", Map.of("query", "x")))
				.withMessageContaining("Unknown tool");
		}
		assertThat(send(this.second, "DELETE", "/helpdesk", null).statusCode()).isEqualTo(404);
	}

	@Test
	void aNewReplicaStartsWithTheStoredUpstreamsAndFollowsChangesAtItsRefreshInterval() throws Exception {
		assertThat(send(this.first, "POST", "", addBody("desk", null)).statusCode()).isEqualTo(201);
		ConfigurableApplicationContext restarted = replica("1s");
		try {
			// Read at start-up: no refresh asked for.
			JsonNode listed = upstream(restarted, "desk");
			assertThat(listed.get("state").asString()).isEqualTo("up");
			assertThat(listed.get("origin").asString()).isEqualTo("admin");
			assertThat(listed.get("createdBy").asString()).startsWith("key_");

			assertThat(send(this.second, "POST", "", addBody("desk2", null)).statusCode()).isEqualTo(201);
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(state(restarted, "desk2")).isEqualTo("up"));
			assertThat(send(this.second, "DELETE", "/desk", null).statusCode()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(upstream(restarted, "desk")).isNull());
		}
		finally {
			restarted.close();
			send(this.first, "DELETE", "/desk", null);
			send(this.first, "DELETE", "/desk2", null);
		}
	}

	@Test
	void anUpstreamAddedWithResourceAndPromptRulesIsGovernedByThemOnTheOtherReplica() throws Exception {
		String body = "{\"domain\":\"shelf\",\"url\":\"" + libraryUrl() + "\","
				+ "\"deniedResources\":[\"library://staff\"],\"resourceScopes\":{\"books://*\":\"volume:read\"},"
				+ "\"allowedPrompts\":[\"review_*\",\"internal_*\"],\"deniedPrompts\":[\"internal_*\"],"
				+ "\"promptScopes\":{\"review_*\":\"shelf:review:read\"}}";
		HttpResponse<String> added = send(this.first, "POST", "", body);
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		try {
			// The second replica has the rules from the store alone.
			send(this.second, "POST", "/refresh", null);
			try (McpSyncClient reader = McpTestClient.streamable(port(this.second), "X-API-Key",
					key(this.second, "shelf:*:*"));
					McpSyncClient stranger = McpTestClient.streamable(port(this.second), "X-API-Key",
							key(this.second, "shelf:book:read", "shelf:review_book:read"))) {
				assertThat(reader.listResources().resources()).extracting(McpSchema.Resource::uri)
					.contains("library://catalog")
					.doesNotContain("library://staff");
				// allowed-prompts leaves whoami out, the deny glob internal_note.
				assertThat(reader.listPrompts().prompts()).extracting(McpSchema.Prompt::name)
					.containsExactly("review_book");
				assertThat(reader.readResource(new McpSchema.ReadResourceRequest("books://42")).contents())
					.hasSize(1);

				// The overrides, not the defaults named after the template and the prompt, are required.
				assertThat(stranger.listResourceTemplates().resourceTemplates()).isEmpty();
				assertThat(stranger.listPrompts().prompts()).isEmpty();
				assertThatExceptionOfType(McpError.class)
					.isThrownBy(() -> stranger.readResource(new McpSchema.ReadResourceRequest("books://42")))
					.withMessageContaining("shelf:volume:read");
				assertThatExceptionOfType(McpError.class)
					.isThrownBy(() -> stranger
						.getPrompt(new McpSchema.GetPromptRequest("review_book", Map.of("isbn", "42"))))
					.withMessageContaining("shelf:review:read");
			}
			assertThat(this.second.getBean(McpGateway.class).exposedResourcesAndPrompts().get("shelf"))
				.doesNotContain("library://staff", "internal_note", "whoami");
		}
		finally {
			send(this.first, "DELETE", "/shelf", null);
		}
	}

	@Test
	void resourceAndPromptRulesAreCheckedLikeAConfiguredUpstreams() throws Exception {
		String url = libraryUrl();
		for (String rules : List.of("\"resourceScopes\":{\"*\":\"orders:order:read\"}",
				"\"promptScopes\":{\"*\":\"orders:order:read\"}", "\"resourceScopes\":{\"*\":\"Not A Scope\"}",
				"\"promptScopes\":{\"*\":\"review\"}", "\"deniedResources\":[\"\"]",
				"\"allowedPrompts\":[null]", "\"resourceScopes\":{\"*\":\"\"}")) {
			String body = "{\"domain\":\"badrules\",\"url\":\"" + url + "\"," + rules + "}";
			HttpResponse<String> response = send(this.first, "POST", "", body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo("invalid_input");
			// Refused for what the rule says, not as a field this API does not know.
			assertThat(JSON.readTree(response.body()).get("message").asString()).as(body).doesNotContain("not accepted");
		}
		assertThat(this.first.getBean(RuntimeUpstreams.class).stored()).extracting(RuntimeUpstream::domain)
			.doesNotContain("badrules");
	}

	@Test
	void aConfiguredUpstreamCanBeNeitherRemovedNorShadowed() throws Exception {
		JsonNode listed = upstream(this.first, "accounts");
		assertThat(listed.get("origin").asString()).isEqualTo("config");
		assertThat(listed.get("state").asString()).isEqualTo("up");

		HttpResponse<String> removal = send(this.first, "DELETE", "/accounts", null);
		assertThat(removal.statusCode()).isEqualTo(409);
		assertThat(JSON.readTree(removal.body()).get("error_code").asString()).isEqualTo("conflict");
		assertThat(JSON.readTree(removal.body()).get("message").asString()).contains("declared in configuration");
		HttpResponse<String> shadow = send(this.second, "POST", "", addBody("accounts", null));
		assertThat(shadow.statusCode()).isEqualTo(409);
		assertThat(upstream(this.first, "accounts").get("state").asString()).isEqualTo("up");
	}

	@Test
	void aNamedCredentialReachesTheUpstreamAndNeverTheApi() throws Exception {
		HttpResponse<String> added = send(this.first, "POST", "", addBody("secured", "tickets-token"));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
		try {
			send(this.second, "POST", "/refresh", null);
			this.authorizations.clear();
			try (McpSyncClient client = McpTestClient.streamable(port(this.second), "X-API-Key",
					key(this.second, "secured:*:*"))) {
				// Collides with the local get_order, so it is prefixed.
				CallToolResult result = call(client, "secured_get_order", Map.of("orderId", "o-1"));
				assertThat(result.isError()).as(String.valueOf(result.content())).isFalse();
			}
			assertThat(this.authorizations).contains("Bearer " + TOKEN);
			HttpResponse<String> list = send(this.second, "GET", "", null);
			assertThat(list.body()).doesNotContain(TOKEN).doesNotContain("TICKETS_TOKEN");
			assertThat(upstream(this.second, "secured").get("credential").asString()).isEqualTo("tickets-token");
		}
		finally {
			send(this.first, "DELETE", "/secured", null);
		}
	}

	@Test
	void secretsVariableNamesAndUnknownCredentialsAreRefused() throws Exception {
		String url = ticketsUrl();
		for (String body : List.of(
				"{\"domain\":\"leak\",\"url\":\"" + url + "\",\"credential\":\"sk_live_pasted_secret\"}",
				"{\"domain\":\"leak\",\"url\":\"" + url + "\",\"bearerEnv\":\"DB_PASSWORD\"}",
				"{\"domain\":\"leak\",\"url\":\"" + url + "\",\"credential\":{\"bearerEnv\":\"DB_PASSWORD\"}}",
				"{\"domain\":\"leak\",\"url\":\"" + url + "\",\"bearerToken\":\"sk_live_pasted_secret\"}",
				"{\"domain\":\"leak\",\"url\":\"" + url.replace("http://", "http://user:sk_live_pasted_secret@") + "\"}",
				"{\"domain\":\"leak\",\"url\":\"" + url + "?token=sk_live_pasted_secret\"}",
				// Allowed by allowed-urls, but not for this credential.
				"{\"domain\":\"leak\",\"url\":\"http://localhost:" + UpstreamTestServer.port(this.tickets)
						+ "/mcp\",\"credential\":\"tickets-token\"}",
				"{\"domain\":\"leak\",\"url\":\"http://127.0.0.2:1/mcp\"}",
				"{\"domain\":\"leak\",\"url\":\"" + url + "\",\"scopes\":{\"*\":\"orders:order:read\"}}")) {
			HttpResponse<String> response = send(this.first, "POST", "", body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo("invalid_input");
			assertThat(response.body()).as(body).doesNotContain("sk_live", "DB_PASSWORD", "Exception");
		}
		HttpResponse<String> unknownField = send(this.first, "POST", "",
				"{\"domain\":\"leak\",\"url\":\"" + url + "\",\"bearerToken\":\"sk_live_pasted_secret\"}");
		assertThat(JSON.readTree(unknownField.body()).at("/details/field").asString()).isEqualTo("bearerToken");
		assertThat(upstream(this.first, "leak")).isNull();
		assertThat(send(this.first, "POST", "/refresh", null).statusCode()).isEqualTo(200);
		assertThat(upstream(this.first, "leak")).isNull();
		assertThat(this.first.getBean(RuntimeUpstreams.class).stored()).extracting(RuntimeUpstream::domain)
			.doesNotContain("leak");
	}

	@Test
	void concurrentAdditionsOfOneDomainOnBothReplicasHaveExactlyOneWinner() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 5; round++) {
				String domain = "race" + round;
				CountDownLatch ready = new CountDownLatch(2);
				List<Callable<Integer>> attempts = new ArrayList<>();
				for (ConfigurableApplicationContext replica : List.of(this.first, this.second)) {
					attempts.add(() -> {
						ready.countDown();
						ready.await();
						return send(replica, "POST", "", addBody(domain, null)).statusCode();
					});
				}
				List<Integer> codes = new ArrayList<>();
				for (Future<Integer> attempt : pool.invokeAll(attempts)) {
					codes.add(attempt.get());
				}
				assertThat(codes).as(domain).containsExactlyInAnyOrder(201, 409);
				send(this.first, "POST", "/refresh", null);
				send(this.second, "POST", "/refresh", null);
				for (ConfigurableApplicationContext replica : List.of(this.first, this.second)) {
					JsonNode list = JSON.readTree(send(replica, "GET", "", null).body());
					long listed = 0;
					for (JsonNode node : list) {
						listed += node.get("domain").asString().equals(domain) ? 1 : 0;
					}
					assertThat(listed).isEqualTo(1);
					assertThat(upstream(replica, domain).get("state").asString()).isEqualTo("up");
				}
				assertThat(send(this.second, "DELETE", "/" + domain, null).statusCode()).isEqualTo(204);
			}
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void changesAndRefusedChangesAreInTheSharedAuditTrail() throws Exception {
		assertThat(send(this.first, "POST", "", addBody("audited", null)).statusCode()).isEqualTo(201);
		assertThat(send(this.second, "DELETE", "/audited", null).statusCode()).isEqualTo(204);
		assertThat(send(this.second, "DELETE", "/accounts", null).statusCode()).isEqualTo(409);
		String keyId = this.first.getBean(ApiKeyManager.class)
			.list()
			.stream()
			.filter((key) -> key.ownerId().equals("upstream-admin"))
			.findFirst()
			.orElseThrow()
			.id();

		JdbcClient jdbc = JdbcClient.create(this.first.getBean(DataSource.class));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(auditRows(jdbc, "upstream-audited")).containsExactlyInAnyOrder(
					List.of("admin.upstreams.add", "upstream-audited", "ok", "null", keyId, "upstream-admin",
							"governance:upstream:write"),
					List.of("admin.upstreams.remove", "upstream-audited", "ok", "null", keyId, "upstream-admin",
							"governance:upstream:write"));
			// Other tests were refused on this configured upstream too.
			assertThat(auditRows(jdbc, "upstream-accounts")).contains(List.of("admin.upstreams.remove",
					"upstream-accounts", "denied", "conflict", keyId, "upstream-admin", "governance:upstream:write"));
		});
		assertThat(jdbc.sql("SELECT argument_shape FROM mcp_governance_audit WHERE tool = 'admin.upstreams.add' "
				+ "AND data_source = 'upstream-audited'").query(String.class).single())
			.contains("\"type\":\"object\"")
			.doesNotContain("127.0.0.1", "Tickets", "open_");
	}

	private static List<List<String>> auditRows(JdbcClient jdbc, String dataSource) {
		return jdbc
			.sql("SELECT tool, data_source, outcome, error_code, key_id, owner_id, domain, resource, action "
					+ "FROM mcp_governance_audit WHERE data_source = ?")
			.param(dataSource)
			.query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3),
					String.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
					rs.getString(7) + ":" + rs.getString(8) + ":" + rs.getString(9)))
			.list();
	}

	private ConfigurableApplicationContext replica(String refreshInterval) {
		int tickets = UpstreamTestServer.port(this.tickets);
		return new SpringApplicationBuilder(GovernedTestApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"spring.ai.mcp.server.protocol=STREAMABLE", "spring.datasource.url=" + databaseUrl(),
					"spring.datasource.username=" + (databaseUrl().startsWith("jdbc:h2") ? "sa" : "postgres"),
					"mcp.governance.admin.enabled=true",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					"mcp.governance.gateway.refresh-interval=" + refreshInterval,
					"mcp.governance.gateway.allowed-urls[0]=http://127.0.0.1:*/mcp",
					"mcp.governance.gateway.allowed-urls[1]=http://localhost:*/mcp",
					"mcp.governance.gateway.credentials.tickets-token.bearer-env=TEST_TICKETS_TOKEN",
					"mcp.governance.gateway.credentials.tickets-token.allowed-urls=http://127.0.0.1:" + tickets + "/*",
					"TEST_TICKETS_TOKEN=" + TOKEN,
					"mcp.governance.upstreams.accounts.url=http://127.0.0.1:" + UpstreamTestServer.port(this.crm) + "/mcp",
					"mcp.governance.upstreams.accounts.allowed-tools=lookup",
					"mcp.governance.audit.flush-interval=100ms",
					"mcp.governance.audit.journal-dir=target/audit-journal/runtime-upstreams-" + UUID.randomUUID())
			.run();
	}

	private String addBody(String domain, String credential) {
		return "{\"domain\":\"" + domain + "\",\"url\":\"" + ticketsUrl() + "\",\"description\":\"Tickets\","
				+ "\"deniedTools\":[\"open_*\"]" + ((credential != null) ? ",\"credential\":\"" + credential + "\"" : "")
				+ "}";
	}

	private String libraryUrl() {
		return "http://127.0.0.1:" + UpstreamTestServer.port(this.library) + "/mcp";
	}

	private String ticketsUrl() {
		return "http://127.0.0.1:" + UpstreamTestServer.port(this.tickets) + "/mcp";
	}

	private static String key(ConfigurableApplicationContext replica, String... scopes) {
		return replica.getBean(ApiKeyManager.class)
			.create("runtime-upstream-caller", null, ScopeSet.parse(List.of(scopes)), null, null)
			.secret();
	}

	private static List<String> toolNames(McpSyncClient client) {
		return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
	}

	private String state(ConfigurableApplicationContext replica, String domain) throws Exception {
		JsonNode upstream = upstream(replica, domain);
		return (upstream != null) ? upstream.get("state").asString() : null;
	}

	private JsonNode upstream(ConfigurableApplicationContext replica, String domain) throws Exception {
		HttpResponse<String> list = send(replica, "GET", "", null);
		assertThat(list.statusCode()).isEqualTo(200);
		for (JsonNode node : JSON.readTree(list.body())) {
			if (node.get("domain").asString().equals(domain)) {
				return node;
			}
		}
		return null;
	}

	private HttpResponse<String> send(ConfigurableApplicationContext replica, String method, String path, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port(replica) + "/mcp-governance/admin/upstreams" + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("X-API-Key", this.admin)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int port(ConfigurableApplicationContext replica) {
		return ((WebServerApplicationContext) replica).getWebServer().getPort();
	}

}
