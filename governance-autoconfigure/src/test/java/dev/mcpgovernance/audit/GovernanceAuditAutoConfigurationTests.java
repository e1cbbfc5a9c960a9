package dev.mcpgovernance.audit;

import java.nio.file.Path;
import java.util.UUID;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.redaction.GovernanceRedactionAutoConfiguration;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceAuditAutoConfigurationTests {

	@TempDir
	Path journal;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GovernanceRedactionAutoConfiguration.class,
					GovernanceAuditAutoConfiguration.class))
			.withPropertyValues("mcp.governance.audit.journal-dir=" + this.journal);
	}

	private ApplicationContextRunner withDataSource() {
		return runner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					GovernanceStorageAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:audit_" + UUID.randomUUID());
	}

	@Test
	void withADataSourceRecordsGoToJdbcWithQueryVerifierHealthAndMetrics() {
		withDataSource().run((context) -> {
			assertThat(context).hasSingleBean(JdbcAuditWriter.class)
				.hasSingleBean(AuditPipeline.class)
				.hasSingleBean(AuditToolCallListener.class)
				.hasSingleBean(AuditQueryService.class)
				.hasSingleBean(AuditChainVerifier.class)
				.hasSingleBean(AuditMetrics.class)
				.hasBean("mcpGovernanceAuditHealthIndicator")
				.doesNotHaveBean(AuditRetention.class);
			assertThat(context.getBean(AuditPipeline.class).isRunning()).isTrue();
			assertThat(context.getBean(InMemoryAuditCap.class).inMemory()).as("the embedded H2 is capped").isTrue();
		});
	}

	@Test
	void withoutADataSourceRecordsGoToTheLog() {
		runner().run((context) -> assertThat(context).hasSingleBean(LoggingAuditWriter.class)
			.hasSingleBean(AuditPipeline.class)
			.doesNotHaveBean(JdbcAuditWriter.class)
			.doesNotHaveBean(AuditQueryService.class));
	}

	@Test
	void storeNoneKeepsNothing() {
		withDataSource().withPropertyValues("mcp.governance.audit.store=none")
			.run((context) -> assertThat(context).hasSingleBean(NoopAuditWriter.class)
				.doesNotHaveBean(JdbcAuditWriter.class)
				.doesNotHaveBean(AuditQueryService.class));
	}

	@Test
	void storeLogWinsOverADataSource() {
		withDataSource().withPropertyValues("mcp.governance.audit.store=log")
			.run((context) -> assertThat(context).hasSingleBean(LoggingAuditWriter.class)
				.doesNotHaveBean(JdbcAuditWriter.class));
	}

	@Test
	void storeJdbcWithoutADataSourceStopsStartUp() {
		runner().withPropertyValues("mcp.governance.audit.store=jdbc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("needs a DataSource"));
	}

	@Test
	void anApplicationWriterReplacesTheStartersOnes() {
		withDataSource().withUserConfiguration(UserWriter.class).run((context) -> {
			assertThat(context).hasSingleBean(AuditWriter.class).doesNotHaveBean(JdbcAuditWriter.class);
			assertThat(context.getBean(AuditWriter.class)).isSameAs(context.getBean("userAuditWriter"));
		});
	}

	@Test
	void retentionIsScheduledWhenSet() {
		withDataSource().withPropertyValues("mcp.governance.audit.retention=90d")
			.run((context) -> assertThat(context).hasSingleBean(AuditRetention.class));
	}

	@Test
	void disabledMeansNoAuditBeans() {
		withDataSource().withPropertyValues("mcp.governance.audit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AuditPipeline.class)
				.doesNotHaveBean(AuditToolCallListener.class)
				.doesNotHaveBean(AuditWriter.class));
	}

	@Test
	void withoutActuatorAndMicrometerThereIsNoHealthOrMetrics() {
		withDataSource()
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
					"io.micrometer.core.instrument"))
			.run((context) -> assertThat(context).hasSingleBean(AuditPipeline.class)
				.doesNotHaveBean("mcpGovernanceAuditHealthIndicator")
				.doesNotHaveBean(AuditMetrics.class));
	}

	@Test
	void withoutSpringJdbcRecordsGoToTheLog() {
		runner().withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
			.run((context) -> assertThat(context).hasSingleBean(LoggingAuditWriter.class));
	}

	@Test
	void aBadQueueCapacityStopsStartUpNamingTheProperty() {
		runner().withPropertyValues("mcp.governance.audit.queue-capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("mcp.governance.audit")
				.hasStackTraceContaining("queueCapacity"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserWriter {

		@Bean
		AuditWriter userAuditWriter() {
			return (records) -> {
			};
		}

	}

}
