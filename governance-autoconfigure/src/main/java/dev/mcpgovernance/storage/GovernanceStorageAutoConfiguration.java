package dev.mcpgovernance.storage;

import javax.sql.DataSource;

import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/** Runs the starter's own migrations against the application's DataSource. */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.flywaydb.core.Flyway")
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceStorageProperties.PREFIX, name = "migrate-schema", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceStorageProperties.class)
public class GovernanceStorageAutoConfiguration {

	// After the application's own Flyway, Liquibase or SQL scripts: those refuse a schema that
	// already holds tables they do not know, and ours must not be the reason a host app cannot start.
	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	public GovernanceSchemaMigrator governanceSchemaMigrator(DataSource dataSource) {
		return new GovernanceSchemaMigrator(dataSource);
	}

}
