package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolPolicy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceRateLimitAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, GovernanceToolAutoConfiguration.class,
				GovernanceRateLimitAutoConfiguration.class, GovernanceRateLimitObservabilityAutoConfiguration.class));

	/** Properties whose names hold colons (scopes), which withPropertyValues would split at. */
	private static ApplicationContextRunner with(ApplicationContextRunner runner, String... properties) {
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("rate-limit-test", RateLimitTestProperties.parse(properties))));
	}

	@Test
	void defaultsToTheMemoryStoreAndWiresTheGovernor() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(LocalRateLimiter.class)
				.hasSingleBean(CallerRateLimits.class)
				.hasSingleBean(ToolRateLimits.class)
				.doesNotHaveBean(FailoverRateLimiter.class)
				.doesNotHaveBean(RateLimitStoreHealthIndicator.class)
				.doesNotHaveBean(RateLimitStoreMetrics.class);
			assertThat(context.getBean(LocalRateLimiter.class).maxBuckets()).isEqualTo(100_000);
			assertThat(ReflectionTestUtils.getField(context.getBean(CallerRateLimits.class), "defaultRpm")).isEqualTo(60);
			assertThat(ReflectionTestUtils.getField(context.getBean(ToolCallGovernor.class), "limiter"))
				.isSameAs(context.getBean(ToolRateLimits.class));
		});
	}

	@Test
	void propertiesChangeTheBeans() {
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.default-rpm=7", "mcp.governance.rate-limit.memory.max-buckets=10")
			.run((context) -> {
				assertThat(context.getBean(LocalRateLimiter.class).maxBuckets()).isEqualTo(10);
				assertThat(ReflectionTestUtils.getField(context.getBean(CallerRateLimits.class), "defaultRpm"))
					.isEqualTo(7);
			});
	}

	@Test
	void redisStoreBringsTheFailoverStoreWithHealthAndMetrics() {
		this.runner.withPropertyValues("mcp.governance.rate-limit.store=redis").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(FailoverRateLimiter.class)
				.hasSingleBean(RateLimitStoreHealthIndicator.class)
				.hasSingleBean(RateLimitStoreMetrics.class)
				.doesNotHaveBean(LocalRateLimiter.class);
			assertThat(context.getBean(FailoverRateLimiter.class).policy()).isEqualTo(OnStoreFailure.LOCAL);
			// One round trip per check unless asked otherwise.
			assertThat(shared(context)).isInstanceOf(RedisRateLimiter.class);
		});
	}

	@Test
	void theScriptStoreLeasesCallsOfBusyBucketsUnlessToldOtherwise() {
		this.runner.withPropertyValues("mcp.governance.rate-limit.store=redis").run((context) -> {
			RateLimitLeases leases = ((RedisRateLimiter) shared(context)).leases();
			assertThat(leases.enabled()).isTrue();
			assertThat(leases.maxCalls()).isEqualTo(16);
			assertThat(leases.duration()).isEqualTo(Duration.ofMillis(100));
		});
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.lease.max-calls=64",
					"mcp.governance.rate-limit.redis.lease.duration=250ms")
			.run((context) -> {
				RateLimitLeases leases = ((RedisRateLimiter) shared(context)).leases();
				assertThat(leases.maxCalls()).isEqualTo(64);
				assertThat(leases.duration()).isEqualTo(Duration.ofMillis(250));
			});
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.lease.max-calls=1")
			.run((context) -> assertThat(((RedisRateLimiter) shared(context)).leases().enabled()).isFalse());
		Map<String, String> invalid = Map.of("lease.max-calls=0", "lease.maxCalls", "lease.max-calls=1025",
				"lease.maxCalls", "lease.duration=0s", "lease.duration", "lease.duration=1m", "lease.duration");
		invalid.forEach((value, field) -> this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis." + value)
			.run((context) -> assertThat(context).getFailure()
				.as(value)
				.rootCause()
				.hasMessageContaining("mcp.governance.rate-limit.redis." + field)));
	}

	@Test
	void algorithmChoosesTheRedisLimiter() {
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.algorithm=bucket4j")
			.run((context) -> assertThat(shared(context)).isInstanceOf(Bucket4jRedisRateLimiter.class));
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.algorithm=script")
			.run((context) -> assertThat(shared(context)).isInstanceOf(RedisRateLimiter.class));
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.algorithm=lua")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("mcp.governance.rate-limit.redis.algorithm"));
	}

	@Test
	void withoutActuatorOrMicrometerTheRedisStoreHasNoHealthOrMetrics() {
		this.runner.withPropertyValues("mcp.governance.rate-limit.store=redis")
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class, MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(FailoverRateLimiter.class)
				.doesNotHaveBean(RateLimitStoreHealthIndicator.class)
				.doesNotHaveBean(RateLimitStoreMetrics.class));
	}

	@Test
	void redisStoreWithoutLettuceFailsNamingWhatToAdd() {
		for (String algorithm : List.of("script", "bucket4j")) {
			this.runner
				.withPropertyValues("mcp.governance.rate-limit.store=redis",
						"mcp.governance.rate-limit.redis.algorithm=" + algorithm)
				.withClassLoader(new FilteredClassLoader(RedisClient.class))
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(GovernanceConfigurationException.class)
						.hasMessageContaining("mcp.governance.rate-limit.store=redis, but Lettuce is not on the classpath");
				});
		}
	}

	@Test
	void onlyTheBucket4jAlgorithmNeedsBucket4jsLettuceModule() {
		this.runner.withPropertyValues("mcp.governance.rate-limit.store=redis")
			.withClassLoader(new FilteredClassLoader(Bucket4jLettuce.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(FailoverRateLimiter.class);
				assertThat(shared(context)).isInstanceOf(RedisRateLimiter.class);
			});
		this.runner
			.withPropertyValues("mcp.governance.rate-limit.store=redis", "mcp.governance.rate-limit.redis.algorithm=bucket4j")
			.withClassLoader(new FilteredClassLoader(Bucket4jLettuce.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining(
							"mcp.governance.rate-limit.redis.algorithm=bucket4j, but Bucket4j's Lettuce module is not on the classpath");
			});
	}

	@Test
	void redisStoreWithoutSpringsRedisConfigurationFails() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GovernanceRateLimitAutoConfiguration.class))
			.withPropertyValues("mcp.governance.rate-limit.store=redis")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("no Redis connection"));
	}

	@Test
	void malformedLimitTextStopsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("mcp.governance.rate-limit.budget=10000 a day").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class)
				.rootCause()
				.hasMessageContaining("'10000 a day' is not a rate limit");
			assertThat(context.getStartupFailure()).hasStackTraceContaining(BindException.class.getName()
					+ ": Failed to bind properties under 'mcp.governance.rate-limit.budget'");
		});
		with(this.runner, "mcp.governance.rate-limit.tools[orders:order:cancel]=often").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("'often' is not a rate limit");
		});
	}

	@Test
	void perToolLimitsMustBeKeyedByAnExactScope() {
		with(this.runner, "mcp.governance.rate-limit.tools[cancel_order]=1/min")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("mcp.governance.rate-limit.tools[cancel_order] is not keyed by a scope"));
		with(this.runner, "mcp.governance.rate-limit.global-tools[orders:*:cancel]=1/min")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("mcp.governance.rate-limit.global-tools[orders:*:cancel] names a scope with a wildcard"));
	}

	@Test
	void invalidValuesFailValidationNamingTheProperty() {
		this.runner.withPropertyValues("mcp.governance.rate-limit.default-rpm=0").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageContaining("mcp.governance.rate-limit.default-rpm"));
	}

	@Test
	void enabledFalseCreatesNoneOfTheBeansAndTheGovernorHasNoLimits() {
		for (String property : List.of("mcp.governance.rate-limit.enabled=false", "mcp.governance.enabled=false")) {
			this.runner.withPropertyValues(property).run((context) -> {
				assertThat(context).doesNotHaveBean(RateLimiter.class)
					.doesNotHaveBean(CallerRateLimits.class)
					.doesNotHaveBean(ToolRateLimits.class);
			});
		}
		this.runner.withPropertyValues("mcp.governance.rate-limit.enabled=false")
			.run((context) -> assertThat(ReflectionTestUtils.getField(context.getBean(ToolCallGovernor.class), "limiter"))
				.isSameAs(ToolCallLimiter.NONE));
	}

	@Test
	void userBeansReplaceOurs() {
		this.runner.withUserConfiguration(UserBeans.class).withPropertyValues("mcp.governance.rate-limit.store=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RateLimiter.class)).isSameAs(UserBeans.LIMITER);
				assertThat(context.getBean(CallerRateLimits.class)).isSameAs(UserBeans.CALLERS);
				assertThat(context.getBean(ToolRateLimits.class)).isSameAs(UserBeans.TOOLS);
				assertThat(context).doesNotHaveBean(FailoverRateLimiter.class)
					.doesNotHaveBean(RateLimitStoreHealthIndicator.class);
			});
		this.runner.withPropertyValues("mcp.governance.rate-limit.store=redis")
			.withBean("rateLimitStoreHealthIndicator", RateLimitStoreHealthIndicator.class,
					() -> new RateLimitStoreHealthIndicator(new FailoverRateLimiter(UserBeans.LIMITER,
							new LocalRateLimiter(1), OnStoreFailure.DENY, Duration.ofSeconds(1))))
			.run((context) -> assertThat(context.getBean(RateLimitStoreHealthIndicator.class).health().getDetails())
				.containsEntry("onStoreFailure", "deny"));
	}

	/** The Redis limiter behind the failure policy. */
	private static Object shared(AssertableApplicationContext context) {
		return ReflectionTestUtils.getField(context.getBean(FailoverRateLimiter.class), "shared");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final RateLimiter LIMITER = new RateLimiter() {

			@Override
			public RateLimitDecision tryConsume(String key, RateLimit limit) {
				return RateLimitDecision.allow();
			}

			@Override
			public void refund(String key, RateLimit limit) {
			}

		};

		static final CallerRateLimits CALLERS = new CallerRateLimits(LIMITER, 1) {

			@Override
			public RateLimitDecision check(CallerIdentity caller) {
				return RateLimitDecision.allow();
			}

		};

		static final ToolRateLimits TOOLS = new ToolRateLimits(LIMITER, Map.of(), Map.of(), null,
				List::of) {

			@Override
			public ToolError check(String toolName, ToolPolicy policy, CallerIdentity caller) {
				return null;
			}

		};

		@Bean
		RateLimiter userRateLimiter() {
			return LIMITER;
		}

		@Bean
		CallerRateLimits userCallerRateLimits() {
			return CALLERS;
		}

		@Bean
		ToolRateLimits userToolRateLimits() {
			return TOOLS;
		}

	}

}
