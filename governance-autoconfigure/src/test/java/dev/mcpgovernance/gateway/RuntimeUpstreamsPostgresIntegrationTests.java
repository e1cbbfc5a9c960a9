package dev.mcpgovernance.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * {@link RuntimeUpstreamReplicasContract} with both replicas on the real PostgreSQL
 * (127.0.0.1:5432, database {@code test}), in a schema of their own that is dropped afterwards.
 */
class RuntimeUpstreamsPostgresIntegrationTests extends RuntimeUpstreamReplicasContract {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

	private final String schema = "mcpg_upstreams_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@Override
	String databaseUrl() {
		return SERVER + "?currentSchema=" + this.schema;
	}

	@Override
	void createDatabase() throws SQLException {
		execute("CREATE SCHEMA " + this.schema);
	}

	@Override
	void dropDatabase() throws SQLException {
		execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
			connection.createStatement().execute(sql);
		}
	}

}
