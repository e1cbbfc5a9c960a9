package dev.mcpgovernance.session;

import java.time.Clock;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.audit.GovernanceAuditAutoConfiguration;
import dev.mcpgovernance.redaction.GovernanceRedactionAutoConfiguration;
import dev.mcpgovernance.redaction.Redactor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * MCP sessions over HTTP bound to the caller that opened them and bounded in number and idle time:
 * the registry (which the governance filter chain consults, the transport decorator tells of new
 * sessions, and API-key revocations reach), the audit trail of refused requests and the metrics.
 */
@AutoConfiguration(after = { GovernanceAuditAutoConfiguration.class, GovernanceRedactionAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceSessionProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceSessionProperties.class)
public class GovernanceSessionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public SessionRegistry sessionRegistry(GovernanceSessionProperties properties) {
		return new SessionRegistry(properties.getIdleTimeout(), properties.getMaxPerCaller(), properties.getMaxTotal(),
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	public SessionAuditTrail sessionAuditTrail(ObjectProvider<AuditPipeline> pipeline, ObjectProvider<Redactor> redactor) {
		return new SessionAuditTrail(pipeline.getIfAvailable(), redactor.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public SessionMetrics sessionMetrics(SessionRegistry sessions) {
			return new SessionMetrics(sessions);
		}

	}

}
