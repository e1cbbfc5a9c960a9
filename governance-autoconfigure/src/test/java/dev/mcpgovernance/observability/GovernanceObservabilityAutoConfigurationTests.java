package dev.mcpgovernance.observability;

import java.util.Set;

import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.audit.GovernanceAuditAutoConfiguration;
import dev.mcpgovernance.connector.openapi.GovernanceConnectorAutoConfiguration;
import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.lint.GovernanceLintAutoConfiguration;
import dev.mcpgovernance.lint.GovernanceReporter;
import dev.mcpgovernance.outbound.GovernanceOutboundAutoConfiguration;
import dev.mcpgovernance.ratelimit.GovernanceRateLimitAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GovernanceToolAutoConfiguration.class,
				GovernanceLintAutoConfiguration.class, GovernanceObservabilityAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	@SuppressWarnings("unchecked")
	void defaultsObserveCountAndReport() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ObservationToolCallObserver.class)
				.hasSingleBean(ToolCallMetrics.class)
				.hasSingleBean(TracerCurrentSpan.class)
				.hasSingleBean(GovernanceHealthGroup.class)
				.hasSingleBean(GovernanceInfoContributor.class);
			ToolCallGovernor governor = context.getBean(ToolCallGovernor.class);
			assertThat(ReflectionTestUtils.getField(governor, "observer"))
				.isSameAs(context.getBean(ObservationToolCallObserver.class));
			// The governor tells its listeners through a ToolCallListeners, which holds the list.
			assertThat((java.util.List<Object>) ReflectionTestUtils
				.getField(ReflectionTestUtils.getField(governor, "listeners"), "listeners"))
				.contains(context.getBean(ToolCallMetrics.class));
		});
	}

	@Test
	void theApplicationsTracerNamesTheSpanOfTheCall() {
		SimpleTracer tracer = new SimpleTracer();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		this.runner.withBean(Tracer.class, () -> tracer).withBean(ObservationRegistry.class, () -> observations)
			.run((context) -> {
				ToolCallObserver.ObservedCall call = context.getBean(ObservationToolCallObserver.class)
					.start("get_order", null);
				assertThat(call.traceId()).isEqualTo(tracer.currentSpan().context().traceId());
				call.stop(null);
				assertThat(tracer.onlySpan().getName()).isEqualTo("tools/call get_order");
				assertThat(tracer.onlySpan().getTags()).containsEntry("outcome", "error")
					.containsEntry("domain", "none");
			});
	}

	@Test
	void userBeansReplaceOurs() {
		ToolCallObserver own = (toolName, policy) -> ToolCallObserver.ObservedCall.NONE;
		this.runner.withBean(ToolCallObserver.class, () -> own)
			.withBean(ToolCallObservationConvention.class, CustomConvention::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationToolCallObserver.class);
				assertThat(ReflectionTestUtils.getField(context.getBean(ToolCallGovernor.class), "observer")).isSameAs(own);
			});
	}

	@Test
	void disabledObservesAndCountsNothing() {
		this.runner.withPropertyValues("mcp.governance.observability.enabled=false",
				"mcp.governance.observability.health-group=false", "management.info.mcp-governance.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ToolCallObserver.class)
				.doesNotHaveBean(ToolCallMetrics.class)
				.doesNotHaveBean(TracerCurrentSpan.class)
				.doesNotHaveBean(GovernanceHealthGroup.class)
				.doesNotHaveBean(GovernanceInfoContributor.class)
				.hasSingleBean(GovernanceReporter.class));
	}

	@Test
	void withoutMicrometerTracingOrActuatorTheRestStillWorks() {
		this.runner
			.withClassLoader(new FilteredClassLoader("io.micrometer.tracing", "org.springframework.boot.actuate",
					"org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ObservationToolCallObserver.class)
				.hasSingleBean(ToolCallMetrics.class)
				.doesNotHaveBean(TracerCurrentSpan.class)
				.doesNotHaveBean(HealthEndpointGroupsPostProcessor.class)
				.doesNotHaveBean(InfoContributor.class));
	}

	@Test
	void withoutAMeterRegistryThereAreNoCounters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GovernanceToolAutoConfiguration.class,
					GovernanceObservabilityAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MeterRegistry.class)
				.doesNotHaveBean(ToolCallMetrics.class)
				.hasSingleBean(ObservationToolCallObserver.class));
	}

	@Test
	void healthGroupAddsRedisOnlyWhenGovernanceUsesIt() {
		// The members come from the concerns' own auto-configurations.
		ApplicationContextRunner concerns = this.runner.withConfiguration(AutoConfigurations.of(
				DataRedisAutoConfiguration.class, GovernanceRateLimitAutoConfiguration.class,
				GovernanceAuditAutoConfiguration.class));
		concerns.run((context) -> assertThat(group(context.getBean(GovernanceHealthGroup.class)).isMember("redis"))
			.isFalse());
		concerns.withPropertyValues("mcp.governance.rate-limit.store=redis")
			.run((context) -> {
				HealthEndpointGroup group = group(context.getBean(GovernanceHealthGroup.class));
				assertThat(group.isMember("redis")).isTrue();
				assertThat(group.isMember("rateLimitStore")).isTrue();
				assertThat(group.isMember("mcpGovernanceAudit")).isTrue();
				assertThat(group.isMember("db")).isFalse();
			});
	}

	@Test
	void eachConcernAddsItsOwnHealthMember() {
		this.runner.withConfiguration(AutoConfigurations.of(GovernanceOutboundAutoConfiguration.class,
				GovernanceConnectorAutoConfiguration.class))
			.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE")
			.run((context) -> {
				HealthEndpointGroup group = group(context.getBean(GovernanceHealthGroup.class));
				assertThat(group.isMember("openApiConnectors")).isTrue();
				assertThat(group.isMember("mcpGovernanceAudit")).isFalse();
			});
		this.runner.withPropertyValues("mcp.governance.api-keys.broadcast-revocations=true")
			.withConfiguration(AutoConfigurations.of(GovernanceIdentityAutoConfiguration.class))
			.run((context) -> assertThat(group(context.getBean(GovernanceHealthGroup.class)).isMember("redis")).isTrue());
	}

	@Test
	void aMemberOfTheApplicationJoinsTheGroup() {
		this.runner.withBean("ownHealthMember", GovernanceHealthMember.class, () -> new GovernanceHealthMember("ledger"))
			.run((context) -> assertThat(group(context.getBean(GovernanceHealthGroup.class)).isMember("ledger")).isTrue());
	}

	@Test
	void healthGroupOfTheApplicationWins() {
		HealthEndpointGroup own = new StubGroup();
		HealthEndpointGroups groups = HealthEndpointGroups.of(new StubGroup(), java.util.Map.of("mcp-governance", own));
		assertThat(new GovernanceHealthGroup(Set.of("redis")).postProcessHealthEndpointGroups(groups)
			.get("mcp-governance")).isSameAs(own);
	}

	private static HealthEndpointGroup group(GovernanceHealthGroup postProcessor) {
		HealthEndpointGroups groups = HealthEndpointGroups.of(new StubGroup(), java.util.Map.of("readiness", new StubGroup()));
		HealthEndpointGroups processed = postProcessor.postProcessHealthEndpointGroups(groups);
		assertThat(processed.getNames()).containsExactlyInAnyOrder("readiness", "mcp-governance");
		// Actuator's request matchers cast the groups to this.
		assertThat(processed).isInstanceOf(org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper.class);
		return processed.get("mcp-governance");
	}

	static class CustomConvention extends DefaultToolCallObservationConvention {

		@Override
		public String getContextualName(ToolCallObservationContext context) {
			return "custom";
		}

	}

	static class StubGroup implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return false;
		}

		@Override
		public boolean showComponents(org.springframework.boot.actuate.endpoint.SecurityContext securityContext) {
			return true;
		}

		@Override
		public boolean showDetails(org.springframework.boot.actuate.endpoint.SecurityContext securityContext) {
			return true;
		}

		@Override
		public org.springframework.boot.health.actuate.endpoint.StatusAggregator getStatusAggregator() {
			return org.springframework.boot.health.actuate.endpoint.StatusAggregator.getDefault();
		}

		@Override
		public org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper.DEFAULT;
		}

		@Override
		public org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath getAdditionalPath() {
			return null;
		}

	}

}
