package dev.mcpgovernance.ratelimit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health and metrics of the Redis rate-limit store, when there is one: a health contributor
 * {@code rateLimitStore} (with Actuator) and store-failure meters (with Micrometer). A separate
 * auto-configuration so that it runs once the store's bean is known.
 */
@AutoConfiguration(after = GovernanceRateLimitAutoConfiguration.class)
@ConditionalOnBean(FailoverRateLimiter.class)
public class GovernanceRateLimitObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public RateLimitStoreHealthIndicator rateLimitStoreHealthIndicator(FailoverRateLimiter rateLimiter) {
			return new RateLimitStoreHealthIndicator(rateLimiter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public RateLimitStoreMetrics rateLimitStoreMetrics(FailoverRateLimiter rateLimiter) {
			return new RateLimitStoreMetrics(rateLimiter);
		}

	}

}
