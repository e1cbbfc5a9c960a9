package dev.mcpgovernance.audit;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit writers {@link GovernanceAuditAutoConfiguration} imports, in order of preference. */
abstract class AuditWriterConfigurations {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.jdbc.core.simple.JdbcClient")
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnProperty(prefix = GovernanceAuditProperties.PREFIX, name = "store", havingValue = "jdbc",
			matchIfMissing = true)
	static class Jdbc {

		/** Often enough that a busy in-memory trail overshoots its cap by seconds of calls only. */
		private static final Duration IN_MEMORY_CAP_INTERVAL = Duration.ofSeconds(1);

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
		public InMemoryAuditCap inMemoryAuditCap(DataSource dataSource, GovernanceAuditProperties properties) {
			return new InMemoryAuditCap(dataSource, properties.getInMemoryMaxRows(), properties.getRetentionBatchSize(),
					IN_MEMORY_CAP_INTERVAL);
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
	static class Log {

		@Bean
		@ConditionalOnMissingBean(AuditWriter.class)
		public LoggingAuditWriter loggingAuditWriter() {
			LogFactory.getLog(GovernanceAuditAutoConfiguration.class)
				.info("The audit trail goes to the logger mcp.governance.audit as JSON lines (no DataSource); for a "
						+ "queryable, verifiable trail give the application a database (docs/audit.md)");
			return new LoggingAuditWriter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = GovernanceAuditProperties.PREFIX, name = "store", havingValue = "none")
	static class None {

		@Bean
		@ConditionalOnMissingBean(AuditWriter.class)
		public NoopAuditWriter noopAuditWriter() {
			return new NoopAuditWriter();
		}

	}

}
