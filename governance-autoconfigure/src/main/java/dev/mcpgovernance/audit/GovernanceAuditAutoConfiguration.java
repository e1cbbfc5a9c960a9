package dev.mcpgovernance.audit;

import java.time.Clock;

import javax.sql.DataSource;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.redaction.GovernanceRedactionAutoConfiguration;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit trail: a listener that records every tool call, the pipeline that writes records in the
 * background (queue, batches, journal), the writer (JDBC, log or none; an application's
 * {@link AuditWriter} bean replaces it), and with JDBC the query service, the chain verifier and
 * retention. The writer configurations are imported in order: JDBC wins when there is a DataSource.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, GovernanceStorageAutoConfiguration.class,
		GovernanceRedactionAutoConfiguration.class })
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceAuditProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceAuditProperties.class)
@Import({ GovernanceAuditAutoConfiguration.JdbcConfiguration.class,
		GovernanceAuditAutoConfiguration.LogConfiguration.class, GovernanceAuditAutoConfiguration.NoneConfiguration.class,
		GovernanceAuditAutoConfiguration.HealthConfiguration.class,
		GovernanceAuditAutoConfiguration.MetricsConfiguration.class })
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
				properties.getShutdownTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	public AuditToolCallListener auditToolCallListener(AuditPipeline pipeline, ObjectProvider<Redactor> redactor) {
		return new AuditToolCallListener(pipeline, redactor.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.jdbc.core.simple.JdbcClient")
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnProperty(prefix = GovernanceAuditProperties.PREFIX, name = "store", havingValue = "jdbc",
			matchIfMissing = true)
	static class JdbcConfiguration {

		@Bean
		@ConditionalOnMissingBean(AuditWriter.class)
		public JdbcAuditWriter jdbcAuditWriter(DataSource dataSource) {
			return new JdbcAuditWriter(dataSource);
		}

		@Bean
		@ConditionalOnMissingBean
		public AuditQueryService auditQueryService(DataSource dataSource) {
			return new AuditQueryService(JdbcClient.create(dataSource));
		}

		@Bean
		@ConditionalOnMissingBean
		public AuditChainVerifier auditChainVerifier(DataSource dataSource) {
			return new AuditChainVerifier(dataSource);
		}

		@Bean(initMethod = "start", destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnProperty(prefix = GovernanceAuditProperties.PREFIX, name = "retention")
		public AuditRetention auditRetention(DataSource dataSource, GovernanceAuditProperties properties) {
			return new AuditRetention(JdbcClient.create(dataSource), properties.getRetention(),
					properties.getRetentionBatchSize(), properties.getRetentionInterval(), Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = GovernanceAuditProperties.PREFIX, name = "store", havingValue = "log",
			matchIfMissing = true)
	static class LogConfiguration {

		@Bean
		@ConditionalOnMissingBean(AuditWriter.class)
		public LoggingAuditWriter loggingAuditWriter() {
			return new LoggingAuditWriter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = GovernanceAuditProperties.PREFIX, name = "store", havingValue = "none")
	static class NoneConfiguration {

		@Bean
		@ConditionalOnMissingBean(AuditWriter.class)
		public NoopAuditWriter noopAuditWriter() {
			return new NoopAuditWriter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
	static class HealthConfiguration {

		@Bean(name = "mcpGovernanceAuditHealthIndicator")
		@ConditionalOnMissingBean(name = "mcpGovernanceAuditHealthIndicator")
		public AuditHealthIndicator mcpGovernanceAuditHealthIndicator(AuditPipeline pipeline) {
			return new AuditHealthIndicator(pipeline);
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
