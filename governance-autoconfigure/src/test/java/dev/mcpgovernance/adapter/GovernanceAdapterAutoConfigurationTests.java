package dev.mcpgovernance.adapter;

import java.time.Duration;
import java.util.List;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceAdapterAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
				RetryAutoConfiguration.class, TimeLimiterAutoConfiguration.class, GovernanceAdapterAutoConfiguration.class))
		.withUserConfiguration(Adapters.class);

	@Configuration(proxyBeanMethods = false)
	static class Adapters {

		@Bean
		@Order(2)
		HttpItemSource replica() {
			return new HttpItemSource("replica", "http://127.0.0.1:1");
		}

		@Bean
		@Order(1)
		HttpItemSource primary() {
			return new HttpItemSource("primary", "http://127.0.0.1:1");
		}

	}

	@Test
	void byDefaultManagesTheAdaptersInTheirDeclaredOrderWithResilience4jAMemoryCacheHealthAndMetrics() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(DataSourceManager.class)
				.hasSingleBean(Resilience4jAdapterResilience.class)
				.hasSingleBean(CaffeineResponseCache.class)
				.hasSingleBean(AdapterExecutor.class)
				.hasSingleBean(DataAdapterMetrics.class)
				.hasBean("mcpGovernanceAdaptersHealthIndicator");
			DataSourceManager manager = context.getBean(DataSourceManager.class);
			assertThat(manager.availableAdapters("items")).extracting(DataAdapter::name)
				.containsExactly("primary", "replica");
		});
	}

	@Test
	void resilience4jInstancePropertiesApplyToTheAdapterOfThatName() {
		this.runner.withPropertyValues("resilience4j.circuitbreaker.instances.primary.wait-duration-in-open-state=7s")
			.run((context) -> {
				DataSourceManager manager = context.getBean(DataSourceManager.class);
				manager.healthSummary();
				CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
				assertThat(breakers.circuitBreaker("primary").getCircuitBreakerConfig()
					.getWaitIntervalFunctionInOpenState()
					.apply(1)).isEqualTo(7000L);
				// An adapter with no instance of its own gets the adapters' defaults.
				assertThat(breakers.circuitBreaker("replica").getCircuitBreakerConfig())
					.isSameAs(Resilience4jAdapterResilience.DEFAULT_CIRCUIT_BREAKER);
			});
	}

	@Test
	void theApplicationsOwnBeansWin() {
		ResponseCache cache = new CaffeineResponseCache((namespace) -> Duration.ofSeconds(1), 1);
		this.runner.withBean(ResponseCache.class, () -> cache)
			.withBean("mcpGovernanceAdaptersHealthIndicator", DataAdaptersHealthIndicator.class,
					() -> new DataAdaptersHealthIndicator(new DataSourceManager(List.of(), AdapterResilience.NONE,
							new AdapterExecutor(1, 1), null, new ObjectMapper(),
							new DataSourceManager.Settings(Duration.ZERO, Duration.ZERO, Duration.ZERO))))
			.withBean(AdapterResilience.class, () -> AdapterResilience.NONE)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ResponseCache.class);
				assertThat(context.getBean(ResponseCache.class)).isSameAs(cache);
				assertThat(context.getBean(AdapterResilience.class)).isSameAs(AdapterResilience.NONE);
				assertThat(context).getBeans(DataAdaptersHealthIndicator.class).hasSize(1);
			});
	}

	@Test
	void offWhenAdaptersOrGovernanceAreDisabled() {
		this.runner.withPropertyValues("mcp.governance.adapters.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSourceManager.class));
		this.runner.withPropertyValues("mcp.governance.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSourceManager.class));
	}

	@Test
	void noCacheWhenTheCacheIsDisabled() {
		this.runner.withPropertyValues("mcp.governance.cache.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DataSourceManager.class).doesNotHaveBean(ResponseCache.class);
		});
	}

	@Test
	void theRedisStoreUsesSpringBootsRedisConnection() {
		this.runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("mcp.governance.cache.store=redis", "spring.data.redis.host=127.0.0.1")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RedisResponseCache.class)
				.doesNotHaveBean(CaffeineResponseCache.class));
	}

	@Test
	void theRedisStoreWithoutARedisConnectionStopsStartUp() {
		this.runner.withPropertyValues("mcp.governance.cache.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("mcp.governance.cache.store=redis"));
	}

	@Test
	void theRedisStoreWithoutSpringDataRedisStopsStartUp() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("mcp.governance.cache.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Spring Data Redis is not on the classpath"));
	}

	@Test
	void withoutResilience4jSourcesAreCalledDirectlyAndStillFailOver() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, GovernanceAdapterAutoConfiguration.class))
			.withUserConfiguration(Adapters.class)
			.withClassLoader(new FilteredClassLoader("io.github.resilience4j"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(Resilience4jAdapterResilience.class);
				assertThat(context.getBean(AdapterResilience.class)).isSameAs(AdapterResilience.NONE);
				assertThat(context.getBean(DataSourceManager.class).availableAdapters("items")).hasSize(2);
			});
	}

	@Test
	void withoutActuatorOrMicrometerThereIsNoHealthIndicatorOrMetrics() {
		this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health",
					"io.micrometer.core.instrument"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DataSourceManager.class)
				.doesNotHaveBean("mcpGovernanceAdaptersHealthIndicator")
				.doesNotHaveBean(DataAdapterMetrics.class));
	}

	@Test
	void theHealthIndicatorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.mcpGovernanceAdapters.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("mcpGovernanceAdaptersHealthIndicator"));
	}

	@Test
	void aBadPropertyStopsStartUpNamingIt() {
		this.runner.withPropertyValues("mcp.governance.adapters.executor.max-threads=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("executor.maxThreads"));
	}

}
