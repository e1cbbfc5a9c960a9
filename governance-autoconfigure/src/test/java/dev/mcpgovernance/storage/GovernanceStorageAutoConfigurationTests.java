package dev.mcpgovernance.storage;

import javax.sql.DataSource;

import dev.mcpgovernance.GovernanceConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceStorageAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, GovernanceStorageAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:storage-" + System.nanoTime(),
				"spring.datasource.generate-unique-name=true");

	@Test
	void migratesTheStartersTablesWithADataSource() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(GovernanceSchemaMigrator.class));
	}

	@Test
	void withoutADataSourceThereIsNothingToMigrate() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GovernanceStorageAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GovernanceSchemaMigrator.class));
	}

	@Test
	void aDataSourceWithoutFlywayStopsStartUpSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("org.flywaydb")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("Flyway, which creates their tables, is not on the class path");
			assertThat(((GovernanceConfigurationException) rootCause(context.getStartupFailure())).getAction())
				.contains("mcp-governance-spring-boot-starter-jdbc");
		});
	}

	@Test
	void withoutFlywayTheApplicationMayCreateTheTablesItself() {
		this.runner.withClassLoader(new FilteredClassLoader("org.flywaydb"))
			.withPropertyValues("mcp.governance.storage.migrate-schema=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(DataSource.class));
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
