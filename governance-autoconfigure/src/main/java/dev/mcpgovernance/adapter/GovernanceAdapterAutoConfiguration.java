package dev.mcpgovernance.adapter;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Data adapters: the {@link DataSourceManager} over every {@link DataAdapter} bean, Resilience4j
 * around each source (when it is on the classpath), the response cache (memory or Redis), and the
 * health indicator {@code mcpGovernanceAdapters} and metrics of the sources.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
		"io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration",
		"io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration" })
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceAdapterProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ GovernanceAdapterProperties.class, GovernanceCacheProperties.class })
public class GovernanceAdapterAutoConfiguration {

	private static final String CACHE_STORE = GovernanceCacheProperties.PREFIX + ".store";

	private static final String RESILIENCE4J = "io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry";

	@Bean
	@ConditionalOnMissingBean
	public AdapterExecutor adapterExecutor(GovernanceAdapterProperties properties) {
		return new AdapterExecutor(properties.getExecutor().getMaxThreads(), properties.getExecutor().getQueueCapacity());
	}

	@Bean
	@ConditionalOnMissingBean
	public DataSourceManager dataSourceManager(ObjectProvider<DataAdapter> adapters,
			ObjectProvider<AdapterResilience> resilience, AdapterExecutor executor, ObjectProvider<ResponseCache> cache,
			ObjectProvider<ObjectMapper> objectMapper, GovernanceAdapterProperties properties) {
		return new DataSourceManager(adapters.orderedStream().toList(), resilience.getIfAvailable(() -> AdapterResilience.NONE),
				executor, cache.getIfAvailable(), objectMapper.getIfAvailable(ObjectMapper::new),
				new DataSourceManager.Settings(properties.getRecentFailureWindow(), properties.getHealthCheckInterval(),
						properties.getHealthCheckTimeout()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { RESILIENCE4J, "io.github.resilience4j.retry.RetryRegistry",
			"io.github.resilience4j.timelimiter.TimeLimiterRegistry" })
	static class Resilience4jConfiguration {

		// Registries of resilience4j-spring-boot4 when it runs (so resilience4j.* applies), else plain ones.
		@Bean
		@ConditionalOnMissingBean(AdapterResilience.class)
		public Resilience4jAdapterResilience adapterResilience(ObjectProvider<CircuitBreakerRegistry> breakers,
				ObjectProvider<RetryRegistry> retries, ObjectProvider<TimeLimiterRegistry> timeLimiters,
				AdapterExecutor executor) {
			return new Resilience4jAdapterResilience(breakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults),
					retries.getIfAvailable(RetryRegistry::ofDefaults),
					timeLimiters.getIfAvailable(TimeLimiterRegistry::ofDefaults), executor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(RESILIENCE4J)
	static class NoResilienceConfiguration {

		@Bean
		@ConditionalOnMissingBean(AdapterResilience.class)
		public AdapterResilience adapterResilience() {
			// Failover still works; breakers, retries and time limits need Resilience4j.
			return AdapterResilience.NONE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(prefix = GovernanceCacheProperties.PREFIX, name = "enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = CACHE_STORE, havingValue = "memory", matchIfMissing = true)
	static class MemoryCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(ResponseCache.class)
		public CaffeineResponseCache governanceResponseCache(GovernanceCacheProperties properties) {
			return new CaffeineResponseCache(properties::ttlOf, properties.getMemory().getMaxEntries());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(prefix = GovernanceCacheProperties.PREFIX, name = "enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = CACHE_STORE, havingValue = "redis")
	@ConditionalOnClass(name = "org.springframework.data.redis.core.StringRedisTemplate")
	static class RedisCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(ResponseCache.class)
		public RedisResponseCache governanceResponseCache(GovernanceCacheProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactory, ObjectProvider<ObjectMapper> objectMapper) {
			RedisConnectionFactory connections = connectionFactory.getIfAvailable();
			if (connections == null) {
				throw new GovernanceConfigurationException(
						CACHE_STORE + "=redis, but there is no Redis connection (Spring Boot's Redis auto-configuration did not run).",
						"Set spring.data.redis.host/port (or url) and keep DataRedisAutoConfiguration enabled, or set "
								+ CACHE_STORE + "=memory.");
			}
			return new RedisResponseCache(new StringRedisTemplate(connections),
					objectMapper.getIfAvailable(ObjectMapper::new), properties.getRedis().getKeyPrefix(),
					properties::ttlOf, properties.getRedis().getRetryInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(prefix = GovernanceCacheProperties.PREFIX, name = "enabled", matchIfMissing = true)
	@ConditionalOnProperty(name = CACHE_STORE, havingValue = "redis")
	@ConditionalOnMissingClass("org.springframework.data.redis.core.StringRedisTemplate")
	static class RedisCacheUnavailableConfiguration {

		@Bean
		@ConditionalOnMissingBean(ResponseCache.class)
		public ResponseCache governanceResponseCache() {
			throw new GovernanceConfigurationException(
					CACHE_STORE + "=redis, but Spring Data Redis is not on the classpath.",
					"Depend on dev.mcpgovernance:mcp-governance-spring-boot-starter-redis (it brings spring-boot-starter-data-redis), or set "
							+ CACHE_STORE + "=memory.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpGovernanceAdaptersHealthMember")
		public GovernanceHealthMember mcpGovernanceAdaptersHealthMember() {
			return new GovernanceHealthMember("mcpGovernanceAdapters");
		}

		// On the method: the condition's class comes with Actuator, so it is read only once Actuator is known to be there.
		@Bean
		@ConditionalOnEnabledHealthIndicator("mcpGovernanceAdapters")
		@ConditionalOnMissingBean(name = "mcpGovernanceAdaptersHealthIndicator")
		public DataAdaptersHealthIndicator mcpGovernanceAdaptersHealthIndicator(DataSourceManager manager) {
			return new DataAdaptersHealthIndicator(manager);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public DataAdapterMetrics dataAdapterMetrics(DataSourceManager manager) {
			return new DataAdapterMetrics(manager);
		}

	}

}
