package dev.mcpgovernance.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The JDBC audit store on the shared PostgreSQL, in a schema of its own that is dropped afterwards. */
class PostgresJdbcAuditStoreTests extends AbstractJdbcAuditStoreTests {

	static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

	final String schema = "mcpg_audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@Override
	DataSource createDataSource() throws SQLException {
		try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + this.schema);
		}
		return new DriverManagerDataSource(POSTGRES + "?currentSchema=" + this.schema + urlOptions(), "postgres", "");
	}

	/** More options of the driver's URL, each starting with {@code &}. */
	String urlOptions() {
		return "";
	}

	@AfterAll
	void dropSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA " + this.schema + " CASCADE");
		}
	}

}
