package dev.mcpgovernance.storage;

import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The starter's tables. */
@ConfigurationProperties(prefix = GovernanceStorageProperties.PREFIX)
public class GovernanceStorageProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".storage";

	/**
	 * Whether to create and update the starter's tables at start-up, with a Flyway history of their
	 * own (mcp_governance_schema_history) that never touches the application's.
	 */
	private boolean migrateSchema = true;

	public boolean isMigrateSchema() {
		return this.migrateSchema;
	}

	public void setMigrateSchema(boolean migrateSchema) {
		this.migrateSchema = migrateSchema;
	}

}
