package dev.mcpgovernance.audit;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.redaction.GovernanceRedactionAutoConfiguration;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The audit trail: a listener that records every tool call, the pipeline that writes records in the
 * background (queue, batches, journal), the writer (JDBC, log or none; an application's
 * {@link AuditWriter} bean replaces it), and with JDBC the query service, the chain verifier and
 * retention.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, GovernanceStorageAutoConfiguration.class,
		GovernanceRedactionAutoConfiguration.class })
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceAuditProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceAuditProperties.class)
// Imported in this order, so that JDBC wins when there is a DataSource; not nested here, because
// nested configurations are registered in no guaranteed order.
@Import({ AuditWriterConfigurations.Jdbc.class, AuditWriterConfigurations.Log.class,
		AuditWriterConfigurations.None.class })
public class GovernanceAuditAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public AuditPipeline auditPipeline(ObjectProvider<AuditWriter> writer, GovernanceAuditProperties properties) {
		AuditWriter target = writer.getIfUnique();
		if (target == null) {
			throw new GovernanceConfigurationException(
					"mcp.governance.audit.store=" + properties.getStore() + " needs a DataSource, and the application has none.",
					"Add a DataSource (spring-boot-starter-jdbc and a driver), or set mcp.governance.audit.store to log or none.");
		}
		return new AuditPipeline(target, properties.getQueueCapacity(), properties.getBatchSize(),
				properties.getFlushInterval(), properties.getRetryInterval(), properties.getJournalDir(),
				properties.getShutdownTimeout(),
				new AuditPipeline.Settings(properties.getDurability(), properties.getStrictTimeout(),
						properties.getStoreTimeout(), properties.getEnqueueTimeout()));
	}

	@Bean
	@ConditionalOnMissingBean
	public AuditToolCallListener auditToolCallListener(AuditPipeline pipeline, ObjectProvider<Redactor> redactor) {
		return new AuditToolCallListener(pipeline, redactor.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	public AuditReportContributor auditReportContributor(ObjectProvider<AuditWriter> writer) {
		return new AuditReportContributor(writer);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpGovernanceAuditHealthMember")
		public GovernanceHealthMember mcpGovernanceAuditHealthMember() {
			return new GovernanceHealthMember("mcpGovernanceAudit");
		}

		@Bean(name = "mcpGovernanceAuditHealthIndicator")
		@ConditionalOnMissingBean(name = "mcpGovernanceAuditHealthIndicator")
		public AuditHealthIndicator mcpGovernanceAuditHealthIndicator(AuditPipeline pipeline,
				ObjectProvider<AuditChainVerifier> verifier) {
			return new AuditHealthIndicator(pipeline, verifier.getIfAvailable());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public AuditMetrics auditMetrics(AuditPipeline pipeline) {
			return new AuditMetrics(pipeline);
		}

	}

}
