package dev.mcpgovernance.storage;

import javax.sql.DataSource;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Runs the starter's own migrations against the application's DataSource. */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceStorageProperties.PREFIX, name = "migrate-schema", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceStorageProperties.class)
public class GovernanceStorageAutoConfiguration {

	private static final String FLYWAY = "org.flywaydb.core.Flyway";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = FLYWAY)
	static class MigrationConfiguration {

		// After the application's own Flyway, Liquibase or SQL scripts: those refuse a schema that
		// already holds tables they do not know, and ours must not be the reason a host app cannot start.
		@Bean
		@ConditionalOnMissingBean
		@DependsOnDatabaseInitialization
		public GovernanceSchemaMigrator governanceSchemaMigrator(DataSource dataSource) {
			return new GovernanceSchemaMigrator(dataSource);
		}

	}

	/**
	 * A DataSource sends the audit trail and run-time keys to the database, whose tables would not
	 * exist: refused at start-up rather than at the first write.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(FLYWAY)
	static class FlywayMissingConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "governanceSchemaMigrator")
		public Object governanceSchemaMigrator() {
			throw new GovernanceConfigurationException(
					"The application has a DataSource, so the audit trail and run-time API keys go to its database, but "
							+ "Flyway, which creates their tables, is not on the class path.",
					"Depend on dev.mcpgovernance:mcp-governance-spring-boot-starter-jdbc instead of the plain starter (it "
							+ "brings flyway-core and flyway-database-postgresql), or set "
							+ GovernanceStorageProperties.PREFIX + ".migrate-schema=false and create the tables yourself.");
		}

	}

}
