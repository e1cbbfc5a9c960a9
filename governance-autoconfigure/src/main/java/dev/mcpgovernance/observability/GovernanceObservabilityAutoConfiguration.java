package dev.mcpgovernance.observability;

import java.util.LinkedHashSet;
import java.util.stream.Collectors;

import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.lint.GovernanceLintAutoConfiguration;
import dev.mcpgovernance.lint.GovernanceReporter;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.ToolCallObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observability of MCP Governance: every tool call in a Micrometer Observation (timer and span,
 * trace ids in the tool-call event), counters of refused and failed calls, the health group
 * {@code mcp-governance} and the {@code mcp-governance} info contributor. Each part needs only its
 * own library (Micrometer, Micrometer Tracing, Actuator) and backs off without it.
 */
@AutoConfiguration(after = { GovernanceToolAutoConfiguration.class, GovernanceLintAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceObservabilityProperties.class)
public class GovernanceObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(prefix = GovernanceObservabilityProperties.PREFIX, name = "enabled",
			matchIfMissing = true)
	static class ToolCallObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean(ToolCallObserver.class)
		public ObservationToolCallObserver observationToolCallObserver(ObjectProvider<ObservationRegistry> registry,
				ObjectProvider<ToolCallObservationConvention> convention, ObjectProvider<CurrentSpan> currentSpan) {
			return new ObservationToolCallObserver(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
					convention.getIfAvailable(), currentSpan.getIfAvailable(() -> CurrentSpan.NONE));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
	@ConditionalOnBooleanProperty(prefix = GovernanceObservabilityProperties.PREFIX, name = "enabled",
			matchIfMissing = true)
	static class TracingConfiguration {

		@Bean
		@ConditionalOnMissingBean(CurrentSpan.class)
		public TracerCurrentSpan tracerCurrentSpan(ObjectProvider<Tracer> tracer) {
			return new TracerCurrentSpan(tracer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnBooleanProperty(prefix = GovernanceObservabilityProperties.PREFIX, name = "enabled",
			matchIfMissing = true)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public ToolCallMetrics toolCallMetrics(MeterRegistry registry) {
			return new ToolCallMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor")
	@ConditionalOnBooleanProperty(prefix = GovernanceObservabilityProperties.PREFIX, name = "health-group",
			matchIfMissing = true)
	static class HealthGroupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public GovernanceHealthGroup governanceHealthGroup(ObjectProvider<GovernanceHealthMember> members) {
			// Each concern declares its own members; the group knows none of them.
			return new GovernanceHealthGroup(members.orderedStream()
				.map(GovernanceHealthMember::contributor)
				.collect(Collectors.toCollection(LinkedHashSet::new)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
	@ConditionalOnBean(GovernanceReporter.class)
	// Actuator's own @ConditionalOnEnabledInfoContributor would fail to load without Actuator.
	@ConditionalOnBooleanProperty(name = "management.info.mcp-governance.enabled", matchIfMissing = true)
	static class InfoConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public GovernanceInfoContributor governanceInfoContributor(GovernanceReporter reporter) {
			return new GovernanceInfoContributor(reporter);
		}

	}

}
