package dev.mcpgovernance.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.apikey.JdbcApiKeyStore;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same path with API keys in the real PostgreSQL (127.0.0.1:5432, database test), in a schema
 * of its own that is dropped afterwards. Keys are stored only as hashes; revocation holds.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class PostgresGovernanceIntegrationTests {

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

	static final String SCHEMA = "mcpg_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcApiKeyStore store;

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + SCHEMA);
		}
		registry.add("spring.datasource.url", () -> SERVER + "?currentSchema=" + SCHEMA);
		registry.add("spring.datasource.username", () -> "postgres");
	}

	@AfterAll
	static void dropSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA " + SCHEMA + " CASCADE");
		}
	}

	@Test
	void starterMigrationsRanOnPostgresWithTheirOwnHistory() {
		assertThat(this.jdbc.sql("SELECT count(*) FROM mcp_governance_schema_history WHERE success").query(Integer.class).single())
			.isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.sql("SELECT current_schema()").query(String.class).single()).isEqualTo(SCHEMA);
	}

	@Test
	void keysStoredInPostgresAuthenticateAndRevocationHolds() throws Exception {
		var created = this.apiKeys.create("ivy", "Ivy", ScopeSet.parse(List.of("orders:*:read")), 60, null);
		String stored = this.jdbc.sql("SELECT key_hash FROM mcp_governance_api_key WHERE id = ?")
			.param(created.key().id())
			.query(String.class)
			.single();
		assertThat(stored).hasSize(64).doesNotContain(created.secret().substring(3));
		assertThat(this.store.findByHash(stored)).hasValueSatisfying((key) -> {
			assertThat(key.ownerLabel()).isEqualTo("Ivy");
			assertThat(key.rateLimitRpm()).isEqualTo(60);
			assertThat(key.scopes().asStrings()).containsExactly("orders:*:read");
		});
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", created.secret())) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
		this.apiKeys.revoke(created.key().id());
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "X-API-Key", created.secret())
			.statusCode()).isEqualTo(401);
	}

}
