package dev.mcpgovernance.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpgovernance.audit.AuditChainVerifier;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of one governed server, as behind a load balancer without stickiness: the STATELESS
 * protocol, one key table and one audit table in the real PostgreSQL, rate limits and revocations
 * in the real Redis. Calls alternate between the replicas, and the limits, the audit trail and a
 * revocation hold as for one server.
 */
class ReplicasIntegrationTests {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final String SCHEMA = "mcpg_replicas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private final String redisPrefix = "mcpg-replicas:" + UUID.randomUUID() + ":";

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	@BeforeAll
	static void createSchema() throws SQLException {
		execute("CREATE SCHEMA " + SCHEMA);
	}

	@AfterAll
	static void dropSchema() throws SQLException {
		execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
	}

	@BeforeEach
	void startReplicas() {
		// The first replica creates the tables; the second starts once they exist, as a rolling deploy would.
		this.first = replica();
		this.second = replica();
	}

	@AfterEach
	void stopReplicas() {
		this.second.close();
		this.first.close();
	}

	@Test
	void aGlobalToolLimitHoldsAcrossReplicasUnderConcurrentCallers() throws Exception {
		// limited_ping allows 3 calls a day for all callers together; 8 callers try twice each, half on each replica.
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int caller = 0; caller < 8; caller++) {
			String secret = newKey(this.first, "caller-" + caller);
			McpSyncClient onFirst = McpTestClient.streamable(port(this.first), "X-API-Key", secret);
			McpSyncClient onSecond = McpTestClient.streamable(port(this.second), "X-API-Key", secret);
			attempts.add(() -> admitted(onFirst));
			attempts.add(() -> admitted(onSecond));
		}
		ExecutorService pool = Executors.newFixedThreadPool(16);
		int admitted = 0;
		try {
			for (Future<Boolean> attempt : pool.invokeAll(attempts)) {
				admitted += attempt.get() ? 1 : 0;
			}
		}
		finally {
			pool.shutdown();
		}

		assertThat(admitted).isEqualTo(3);
	}

	@Test
	void everyCallOnEitherReplicaLeavesOneRowInTheSharedAuditTrail() throws Exception {
		String secret = newKey(this.first, "auditor");
		McpSyncClient onFirst = McpTestClient.streamable(port(this.first), "X-API-Key", secret);
		McpSyncClient onSecond = McpTestClient.streamable(port(this.second), "X-API-Key", secret);
		for (int i = 0; i < 10; i++) {
			McpTestClient.call((i % 2 == 0) ? onFirst : onSecond, "limited_ping", Map.of());
		}

		JdbcClient jdbc = JdbcClient.create(this.first.getBean(javax.sql.DataSource.class));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM mcp_governance_audit WHERE owner_id = 'auditor'")
				.query(Long.class)
				.single()).isEqualTo(10));
		// Two limit refusals (2 a day per caller), and each replica chains its own rows.
		assertThat(jdbc.sql("SELECT outcome, count(*) FROM mcp_governance_audit WHERE owner_id = 'auditor' GROUP BY outcome")
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()).containsExactlyInAnyOrder(Map.entry("ok", 2L), Map.entry("rate_limited", 8L));
		assertThat(jdbc.sql("SELECT count(DISTINCT stream_id) FROM mcp_governance_audit WHERE owner_id = 'auditor'")
			.query(Long.class)
			.single()).isEqualTo(2);
		AuditChainVerifier.Verification verification = this.second.getBean(AuditChainVerifier.class).verify();
		assertThat(verification.intact()).isTrue();
		assertThat(verification.streams()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aKeyRevokedOnOneReplicaIsRefusedByTheOtherAtOnce() throws Exception {
		ApiKeyManager keys = this.first.getBean(ApiKeyManager.class);
		var created = keys.create("revoked-later", null, ScopeSet.parse(List.of("orders:*:read")), null, null);
		assertThat(toolsCall(this.second, created.secret())).isEqualTo(200);

		keys.revoke(created.key().id());

		await().atMost(Duration.ofSeconds(5)).until(() -> toolsCall(this.second, created.secret()) == 401);
	}

	private ConfigurableApplicationContext replica() {
		return new SpringApplicationBuilder(GovernedTestApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"spring.ai.mcp.server.protocol=STATELESS",
					"spring.datasource.url=" + SERVER + "?currentSchema=" + SCHEMA + "&reWriteBatchedInserts=true",
					"spring.datasource.username=postgres",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					// A long key cache: only the broadcast can make the other replica forget a revoked key.
					"mcp.governance.api-keys.cache-ttl=1h", "mcp.governance.api-keys.broadcast-revocations=true",
					"mcp.governance.api-keys.revocation-channel=" + this.redisPrefix + "revoked",
					"mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.key-prefix=" + this.redisPrefix,
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
					"mcp.governance.audit.journal-dir=target/audit-journal/replicas-" + UUID.randomUUID())
			.run();
	}

	private static boolean admitted(McpSyncClient client) {
		CallToolResult result = McpTestClient.call(client, "limited_ping", Map.of());
		if (Boolean.TRUE.equals(result.isError())) {
			assertThat(McpTestClient.error(result)).containsEntry("error_code", "rate_limited");
			return false;
		}
		return true;
	}

	private static String newKey(ConfigurableApplicationContext replica, String owner) {
		return replica.getBean(ApiKeyManager.class)
			.create(owner, null, ScopeSet.parse(List.of("orders:*:read")), null, null)
			.secret();
	}

	private static int toolsCall(ConfigurableApplicationContext replica, String secret) throws Exception {
		return McpTestClient.post(port(replica), "/mcp", """
				{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"limited_ping","arguments":{}}}""",
				"X-API-Key", secret).statusCode();
	}

	private static int port(ConfigurableApplicationContext replica) {
		return ((WebServerApplicationContext) replica).getWebServer().getPort();
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
			connection.createStatement().execute(sql);
		}
	}

}
