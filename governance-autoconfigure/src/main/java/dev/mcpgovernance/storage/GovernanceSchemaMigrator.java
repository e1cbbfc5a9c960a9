package dev.mcpgovernance.storage;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.mcpgovernance.GovernanceConfigurationException;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Creates and updates the starter's tables with a Flyway of its own: its own locations, its own
 * history table and its own file prefix. It is deliberately not a {@code Flyway} bean, which would
 * switch off the application's Flyway; and the {@code MG} prefix keeps the application's Flyway,
 * which scans {@code db/migration} recursively, from ever picking up these files.
 */
public class GovernanceSchemaMigrator implements InitializingBean {

	public static final String HISTORY_TABLE = "mcp_governance_schema_history";

	public static final String LOCATION_ROOT = "classpath:db/migration/mcp-governance/";

	public static final String MIGRATION_PREFIX = "MG";

	private final DataSource dataSource;

	public GovernanceSchemaMigrator(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public void afterPropertiesSet() {
		String vendor = vendor();
		Flyway.configure()
			.dataSource(this.dataSource)
			.locations(LOCATION_ROOT + vendor)
			.table(HISTORY_TABLE)
			.sqlMigrationPrefix(MIGRATION_PREFIX)
			// The schema usually holds the application's tables already; start our history at zero.
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
	}

	private String vendor() {
		try (Connection connection = this.dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName();
			DatabaseDriver driver = DatabaseDriver.fromProductName(product);
			if (driver == DatabaseDriver.POSTGRESQL || driver == DatabaseDriver.H2) {
				return driver.getId();
			}
			throw new GovernanceConfigurationException(
					"MCP Governance has no schema for the database '" + product + "'; it supports PostgreSQL and H2.",
					"Use PostgreSQL (or H2 for development), or set mcp.governance.storage.migrate-schema=false and create "
							+ "the tables from the PostgreSQL scripts in the starter's db/migration/mcp-governance folder yourself.");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the database product to pick the governance schema", ex);
		}
	}

}
