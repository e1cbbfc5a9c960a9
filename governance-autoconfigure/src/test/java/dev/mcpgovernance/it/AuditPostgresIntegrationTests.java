package dev.mcpgovernance.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.TcpProxy;
import dev.mcpgovernance.audit.AuditChainVerifier;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.UnknownToolName;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail on a running server with the real PostgreSQL behind a TCP proxy that the test
 * cuts to simulate an outage, and real MCP clients: one row per call with the right outcome,
 * secrets nowhere, every record exactly once across an outage, HTTP-level refusals audited too.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.api-keys.cache-ttl=10m", "mcp.governance.admin.enabled=true",
				"mcp.governance.audit.flush-interval=50ms", "mcp.governance.audit.retry-interval=300ms",
				"mcp.governance.audit.queue-capacity=20", "mcp.governance.audit.batch-size=25",
				"spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.maximum-pool-size=4" })
class AuditPostgresIntegrationTests {

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

	static final String SCHEMA = "mcpg_audit_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	static final Path JOURNAL = Path.of("target", "audit-journal", "postgres-it-" + UUID.randomUUID());

	/** Sent as an argument, and echoed in results; must never be recorded. */
	static final String SECRET_ARGUMENT = "s3cr3t-arg-" + UUID.randomUUID();

	/** In get_customer's result (not a redacted key): must never be recorded. */
	static final String SECRET_RESULT = "Jane Doe";

	static final ObjectMapper JSON = new ObjectMapper();

	static TcpProxy proxy;

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	AuditPipeline pipeline;

	@Autowired
	AuditChainVerifier verifier;

	JdbcClient direct = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(
			SERVER + "?currentSchema=" + SCHEMA, "postgres", ""));

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) throws SQLException, IOException {
		try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + SCHEMA);
		}
		proxy = new TcpProxy(5432);
		registry.add("spring.datasource.url",
				() -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema=" + SCHEMA);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("mcp.governance.audit.journal-dir", JOURNAL::toString);
	}

	@AfterAll
	static void dropSchema() throws SQLException, IOException {
		proxy.close();
		try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA " + SCHEMA + " CASCADE");
		}
	}

	private String key(String owner, Integer rpm, String... scopes) {
		return this.apiKeys.create(owner, "Owner " + owner, ScopeSet.parse(List.of(scopes)), rpm, null).secret();
	}

	private long rows(String owner) {
		return this.direct.sql("SELECT count(*) FROM mcp_governance_audit WHERE owner_id = ?")
			.param(owner)
			.query(Long.class)
			.single();
	}

	@Test
	void concurrentCallsGiveOneRowEachWithTheirOutcomeAndNoSecretAnywhere(CapturedOutput output) throws Exception {
		String owner = "load-" + UUID.randomUUID();
		String secret = key(owner, 100_000, "orders:*:read", "crm:*:read", "inventory:*:read");
		int clients = 8;
		int callsPerClient = 25;
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		List<Future<?>> done = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			int client = c;
			done.add(pool.submit(() -> {
				try (McpSyncClient mcp = McpTestClient.streamable(this.port, "X-API-Key", secret)) {
					for (int k = 0; k < callsPerClient; k++) {
						int i = client * callsPerClient + k;
						callOfKind(mcp, i);
					}
				}
				return null;
			}));
		}
		for (Future<?> future : done) {
			future.get(2, TimeUnit.MINUTES);
		}
		pool.shutdown();

		await().atMost(Duration.ofSeconds(30)).until(() -> rows(owner) >= 200);
		Map<String, Long> outcomes = new java.util.TreeMap<>();
		this.direct.sql("SELECT outcome, count(*) AS n FROM mcp_governance_audit WHERE owner_id = ? GROUP BY outcome")
			.param(owner)
			.query((rs) -> {
				outcomes.put(rs.getString("outcome"), rs.getLong("n"));
			});
		assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(
				Map.of("ok", 82L, "denied", 40L, "invalid_input", 40L, "error", 32L, "rate_limited", 6L));
		assertThat(this.direct.sql("SELECT count(DISTINCT request_id) FROM mcp_governance_audit WHERE owner_id = ?")
			.param(owner)
			.query(Long.class)
			.single()).isEqualTo(200);
		assertThat(this.direct.sql("SELECT DISTINCT key_id || '|' || owner_label || '|' || transport || '|' || domain "
				+ "FROM mcp_governance_audit WHERE owner_id = ? AND tool = 'cancel_order'")
			.param(owner)
			.query(String.class)
			.list()).singleElement().asString().endsWith("|Owner " + owner + "|http|orders");
		assertThat(this.direct.sql("SELECT argument_shape FROM mcp_governance_audit WHERE owner_id = ? AND tool = 'get_order' "
				+ "AND outcome = 'ok' LIMIT 1")
			.param(owner)
			.query(String.class)
			.single()).isEqualTo("{\"type\":\"object\",\"fields\":1,\"children\":[{\"type\":\"string\",\"length\":"
					+ ("o-" + SECRET_ARGUMENT).length() + "}]}");

		assertThat(tableText()).doesNotContain(SECRET_ARGUMENT).doesNotContain(SECRET_RESULT).doesNotContain("orderId");
		assertThat(output.getAll()).doesNotContain(SECRET_ARGUMENT).doesNotContain(SECRET_RESULT);
		assertThat(this.verifier.verify().intact()).isTrue();
	}

	/** 0 ok, 1 ok (result holds a secret), 2 denied, 3 invalid input, 4 error, every 25th a rate-limited ping. */
	private static void callOfKind(McpSyncClient mcp, int i) {
		if (i % 25 == 24) {
			call(mcp, "limited_ping", Map.of());
			return;
		}
		switch (i % 5) {
			case 0 -> call(mcp, "get_order", Map.of("orderId", "o-" + SECRET_ARGUMENT));
			case 1 -> assertThat(call(mcp, "get_customer", Map.of("customerId", "c-1")).toString()).contains(SECRET_RESULT);
			case 2 -> call(mcp, "cancel_order", Map.of("orderId", "o-1"));
			case 3 -> call(mcp, "get_order", Map.of("orderId", "bad-" + SECRET_ARGUMENT));
			default -> call(mcp, "leaky_failure", Map.of());
		}
	}

	@Test
	void everyRecordArrivesExactlyOnceAcrossADatabaseOutage(CapturedOutput output) throws Exception {
		String owner = "outage-" + UUID.randomUUID();
		String secret = key(owner, 100_000, "orders:*:read");
		long spilledBefore = this.pipeline.spilled();
		int clients = 4;
		int callsPerClient = 40;
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		List<Future<?>> done = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			done.add(pool.submit(() -> {
				try (McpSyncClient mcp = McpTestClient.streamable(this.port, "X-API-Key", secret)) {
					for (int k = 0; k < callsPerClient; k++) {
						assertThat(call(mcp, "get_order", Map.of("orderId", "o-" + SECRET_ARGUMENT)).isError()).isFalse();
						Thread.sleep(20);
					}
				}
				return null;
			}));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> rows(owner) > 10);
		proxy.cut();
		long journaledAtCut = this.pipeline.journaled();
		try {
			// Calls go on during the outage, and their records wait in the journal.
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.pipeline.journaled() > journaledAtCut + 20 && this.pipeline.storeUnavailable());
			assertThat(journalText()).contains("\"ownerId\":\"" + owner + "\"").doesNotContain(SECRET_ARGUMENT);
			assertThat(this.pipeline.failures()).isPositive();
		}
		finally {
			proxy.restore();
		}
		for (Future<?> future : done) {
			future.get(2, TimeUnit.MINUTES);
		}
		pool.shutdown();

		int expected = clients * callsPerClient;
		await().atMost(Duration.ofSeconds(60)).until(() -> rows(owner) >= expected && this.pipeline.journalBacklogBytes() == 0);
		assertThat(rows(owner)).isEqualTo(expected);
		assertThat(this.pipeline.spilled()).as("written back from the journal file").isGreaterThan(spilledBefore);
		assertThat(this.direct.sql("SELECT count(DISTINCT request_id) FROM mcp_governance_audit WHERE owner_id = ?")
			.param(owner)
			.query(Long.class)
			.single()).isEqualTo(expected);
		assertThat(this.pipeline.lost()).isZero();
		assertThat(this.verifier.verify().intact()).isTrue();
		assertThat(output.getAll()).doesNotContain(SECRET_ARGUMENT);
	}

	@Test
	void toolCallsRefusedAtTheHttpLevelAreAudited() throws Exception {
		String body = """
				{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_order","arguments":{"orderId":"%s"}}}"""
			.formatted(SECRET_ARGUMENT);
		String requestMarker = "x-" + UUID.randomUUID();
		// No credential: 401, recorded as denied without a caller.
		String unknownTool = "no_such_tool_" + requestMarker.substring(2, 10);
		assertThat(McpTestClient.post(this.port, "/mcp", body.replace("get_order", unknownTool)).statusCode())
			.isEqualTo(401);

		// One request a minute: the second tools/call is refused with 429 before the MCP server sees it.
		String owner = "limited-" + UUID.randomUUID();
		String secret = key(owner, 1, "orders:*:read");
		McpTestClient.post(this.port, "/mcp", body, "X-API-Key", secret);
		assertThat(McpTestClient.post(this.port, "/mcp", body, "X-API-Key", secret).statusCode()).isEqualTo(429);

		// A name the server does not have is recorded by its shape, never as sent (issue 21).
		String recordedTool = UnknownToolName.of(unknownTool);
		await().atMost(Duration.ofSeconds(30)).until(() -> rows(owner) == 1
				&& this.direct.sql("SELECT count(*) FROM mcp_governance_audit WHERE tool = ?")
					.param(recordedTool)
					.query(Long.class)
					.single() == 1);
		assertThat(this.direct.sql("SELECT outcome || '|' || error_code || '|' || coalesce(key_id, '-') FROM mcp_governance_audit WHERE tool = ?")
			.param(recordedTool)
			.query(String.class)
			.single()).isEqualTo("denied|unauthenticated|-");
		assertThat(tableText()).doesNotContain(unknownTool);
		assertThat(this.direct.sql("SELECT outcome || '|' || error_code || '|' || tool || '|' || domain FROM mcp_governance_audit WHERE owner_id = ?")
			.param(owner)
			.query(String.class)
			.single()).isEqualTo("rate_limited|rate_limited|get_order|orders");
		assertThat(tableText()).doesNotContain(SECRET_ARGUMENT);
	}

	@Test
	void adminApiPagesTheTrailAndVerifiesIt() throws Exception {
		String owner = "paged-" + UUID.randomUUID();
		String secret = key(owner, 100_000, "orders:*:read");
		try (McpSyncClient mcp = McpTestClient.streamable(this.port, "X-API-Key", secret)) {
			for (int i = 0; i < 3; i++) {
				call(mcp, "get_order", Map.of("orderId", "o-" + i));
			}
			call(mcp, "cancel_order", Map.of("orderId", "o-1"));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> rows(owner) == 4);
		String admin = key("auditor-" + UUID.randomUUID(), 100_000, "governance:admin:read");

		HttpResponse<String> page = adminGet("/audit?owner=" + owner + "&tool=get_order&size=2", admin);
		assertThat(page.statusCode()).isEqualTo(200);
		JsonNode json = JSON.readTree(page.body());
		assertThat(json.path("records")).hasSize(2);
		assertThat(json.path("hasNext").asBoolean()).isTrue();
		assertThat(json.at("/records/0/ownerId").asString()).isEqualTo(owner);
		JsonNode denied = JSON.readTree(adminGet("/audit?owner=" + owner + "&outcome=denied", admin).body());
		assertThat(denied.path("records")).hasSize(1);
		assertThat(denied.at("/records/0/tool").asString()).isEqualTo("cancel_order");

		JsonNode verification = JSON.readTree(adminGet("/audit/verify", admin).body());
		assertThat(verification.path("breaks")).isEmpty();
		assertThat(verification.path("rows").asLong()).isPositive();

		String noAdmin = key("nobody-" + UUID.randomUUID(), 100_000, "orders:*:read");
		assertThat(adminGet("/audit?owner=" + owner, noAdmin).statusCode()).isEqualTo(403);
		assertThat(adminGet("/audit?from=yesterday", admin).statusCode()).isEqualTo(400);
	}

	private HttpResponse<String> adminGet(String path, String key) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp-governance/admin" + path))
			.header("X-API-Key", key)
			.GET()
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	private String tableText() {
		return String.join("\n", this.direct.sql("SELECT CAST(a.* AS TEXT) FROM mcp_governance_audit a")
			.query(String.class)
			.list());
	}

	private static String journalText() throws IOException {
		StringBuilder text = new StringBuilder();
		try (Stream<Path> files = Files.list(JOURNAL)) {
			for (Path file : files.toList()) {
				text.append(Files.readString(file, StandardCharsets.UTF_8));
			}
		}
		return text.toString();
	}

}
