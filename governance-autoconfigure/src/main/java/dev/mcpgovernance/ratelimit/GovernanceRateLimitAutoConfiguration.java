package dev.mcpgovernance.ratelimit;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import io.lettuce.core.RedisURI;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.util.function.SingletonSupplier;

/**
 * Rate limits and call budgets: the per-caller limit of the MCP endpoint (applied by
 * {@code McpGovernanceConfigurer} when {@link CallerRateLimits} is present), the per-tool limits and
 * the call budget (consulted by the tool governor through {@link ToolRateLimits}), on the memory or
 * the Redis store. Health and metrics of the Redis store are in
 * {@link GovernanceRateLimitObservabilityAutoConfiguration}.
 */
@AutoConfiguration(after = GovernanceToolAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceRateLimitProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceRateLimitProperties.class)
public class GovernanceRateLimitAutoConfiguration {

	private static final String STORE = GovernanceRateLimitProperties.PREFIX + ".store";

	private static final String ALGORITHM = GovernanceRateLimitProperties.PREFIX + ".redis.algorithm";

	private static final String LETTUCE = "io.lettuce.core.RedisClient";

	private static final String BUCKET4J_LETTUCE = "io.github.bucket4j.redis.lettuce.Bucket4jLettuce";

	@Bean
	@ConditionalOnMissingBean
	public CallerRateLimits callerRateLimits(RateLimiter rateLimiter, GovernanceRateLimitProperties properties,
			ObjectProvider<ToolRateLimits> tools, ObjectProvider<GovernedToolRegistry> registry) {
		// Looked up on the first request: the registry may depend on beans created after this one.
		SingletonSupplier<GovernedToolRegistry> governed = SingletonSupplier.of(registry::getIfAvailable);
		return new CallerRateLimits(rateLimiter, properties.getDefaultRpm(), tools.getIfAvailable(), (name) -> {
			GovernedToolRegistry known = governed.get();
			return (known != null) ? known.find(name).orElse(null) : null;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	public ToolRateLimits toolRateLimits(RateLimiter rateLimiter, GovernanceRateLimitProperties properties,
			ObjectProvider<GovernedToolRegistry> registry) {
		return new ToolRateLimits(rateLimiter, checked(properties.getTools(), "tools"),
				checked(properties.getGlobalTools(), "global-tools"), properties.getBudget(), () -> {
					GovernedToolRegistry tools = registry.getIfAvailable();
					return (tools != null) ? tools.policies() : List.of();
				});
	}

	@Bean
	@ConditionalOnMissingBean
	public RateLimitReportContributor rateLimitReportContributor(GovernanceRateLimitProperties properties) {
		return new RateLimitReportContributor(properties);
	}

	/** The keys of a per-tool map, checked to be required scopes (no wildcards). */
	private static Map<String, RateLimit> checked(Map<String, RateLimit> limits, String name) {
		limits.forEach((key, limit) -> {
			String property = GovernanceRateLimitProperties.PREFIX + "." + name + "[" + key + "]";
			try {
				if (Scope.parse(key).hasWildcard()) {
					throw new GovernanceConfigurationException(
							property + " names a scope with a wildcard; per-tool limits are keyed by a tool's required scope.",
							"Use the exact scope of the tool's @GovernedTool, e.g. orders:order:cancel.");
				}
			}
			catch (MalformedScopeException ex) {
				throw new GovernanceConfigurationException(
						property + " is not keyed by a scope: " + ex.reason() + ".",
						"Key per-tool limits by the tool's required scope, e.g. " + GovernanceRateLimitProperties.PREFIX
								+ "." + name + "[orders:order:cancel]=10/min.");
			}
		});
		return limits;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "memory", matchIfMissing = true)
	static class MemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(RateLimiter.class)
		public LocalRateLimiter governanceRateLimiter(GovernanceRateLimitProperties properties) {
			return new LocalRateLimiter(properties.getMemory().getMaxBuckets());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "redis")
	@ConditionalOnClass(name = LETTUCE)
	static class RedisStoreConfiguration {

		@Configuration(proxyBeanMethods = false)
		@Conditional(NotBucket4jAlgorithm.class)
		static class ScriptConfiguration {

			@Bean
			@ConditionalOnMissingBean(RateLimiter.class)
			public FailoverRateLimiter governanceRateLimiter(GovernanceRateLimitProperties properties,
					ObjectProvider<DataRedisConnectionDetails> connectionDetails,
					ObjectProvider<DataRedisProperties> redisProperties) {
				GovernanceRateLimitProperties.Redis redis = properties.getRedis();
				RedisRateLimiter shared = new RedisRateLimiter(redisUri(connectionDetails, redisProperties),
						redis.getKeyPrefix(), redis.getTimeout(), redis.getLease().getMaxCalls(),
						redis.getLease().getDuration());
				shared.connectInBackground();
				return failover(shared, properties);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnProperty(name = ALGORITHM, havingValue = "bucket4j")
		@ConditionalOnClass(name = BUCKET4J_LETTUCE)
		static class Bucket4jConfiguration {

			@Bean
			@ConditionalOnMissingBean(RateLimiter.class)
			public FailoverRateLimiter governanceRateLimiter(GovernanceRateLimitProperties properties,
					ObjectProvider<DataRedisConnectionDetails> connectionDetails,
					ObjectProvider<DataRedisProperties> redisProperties) {
				GovernanceRateLimitProperties.Redis redis = properties.getRedis();
				Bucket4jRedisRateLimiter shared = new Bucket4jRedisRateLimiter(redisUri(connectionDetails, redisProperties),
						redis.getKeyPrefix(), redis.getTimeout());
				shared.connectInBackground();
				return failover(shared, properties);
			}

		}

		/**
		 * Any algorithm but bucket4j, so that a value that is neither reaches the properties' binding,
		 * which fails naming the property.
		 */
		static class NotBucket4jAlgorithm extends NoneNestedConditions {

			NotBucket4jAlgorithm() {
				super(ConfigurationCondition.ConfigurationPhase.PARSE_CONFIGURATION);
			}

			@ConditionalOnProperty(name = ALGORITHM, havingValue = "bucket4j")
			static class Bucket4jAlgorithm {

			}

		}

		private static FailoverRateLimiter failover(RateLimiter shared, GovernanceRateLimitProperties properties) {
			return new FailoverRateLimiter(shared, new LocalRateLimiter(properties.getMemory().getMaxBuckets()),
					properties.getOnStoreFailure(), properties.getRedis().getRetryInterval());
		}

		private static RedisURI redisUri(ObjectProvider<DataRedisConnectionDetails> connectionDetails,
				ObjectProvider<DataRedisProperties> redisProperties) {
			DataRedisConnectionDetails details = connectionDetails.getIfAvailable();
			if (details == null) {
				throw new GovernanceConfigurationException(
						STORE + "=redis, but there is no Redis connection (Spring Boot's Redis auto-configuration did not run).",
						"Set spring.data.redis.host/port (or url) and keep DataRedisAutoConfiguration enabled, or set " + STORE
								+ "=memory.");
			}
			if (details.getSentinel() != null || details.getCluster() != null || details.getStandalone() == null) {
				throw new GovernanceConfigurationException(
						STORE + "=redis supports a standalone Redis only; Sentinel and Cluster are not supported yet.",
						"Point spring.data.redis.host/port at a standalone Redis, or set " + STORE + "=memory.");
			}
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			RedisURI.Builder uri = RedisURI.builder()
				.withHost(standalone.getHost())
				.withPort(standalone.getPort())
				.withDatabase(standalone.getDatabase());
			if (details.getPassword() != null) {
				if (details.getUsername() != null) {
					uri.withAuthentication(details.getUsername(), details.getPassword().toCharArray());
				}
				else {
					uri.withPassword(details.getPassword().toCharArray());
				}
			}
			DataRedisProperties properties = redisProperties.getIfAvailable();
			if (properties != null && properties.getSsl().isEnabled()) {
				uri.withSsl(true);
			}
			return uri.build();
		}

	}

	// The store's health and Redis's belong to the governance health group only when the store is Redis.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "redis")
	static class RedisHealthMembersConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "rateLimitStoreHealthMember")
		public GovernanceHealthMember rateLimitStoreHealthMember() {
			return new GovernanceHealthMember("rateLimitStore");
		}

		@Bean
		@ConditionalOnMissingBean(name = "rateLimitRedisHealthMember")
		public GovernanceHealthMember rateLimitRedisHealthMember() {
			return new GovernanceHealthMember("redis");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "redis")
	@ConditionalOnMissingClass(LETTUCE)
	static class LettuceMissingConfiguration {

		@Bean
		@ConditionalOnMissingBean(RateLimiter.class)
		public RateLimiter governanceRateLimiter() {
			throw new GovernanceConfigurationException(STORE + "=redis, but Lettuce is not on the classpath.",
					"Depend on dev.mcpgovernance:mcp-governance-spring-boot-starter-redis (it brings spring-boot-starter-data-redis), or set "
							+ STORE + "=memory.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = STORE, havingValue = "redis")
	@ConditionalOnProperty(name = ALGORITHM, havingValue = "bucket4j")
	@ConditionalOnClass(name = LETTUCE)
	@ConditionalOnMissingClass(BUCKET4J_LETTUCE)
	static class Bucket4jLettuceMissingConfiguration {

		@Bean
		@ConditionalOnMissingBean(RateLimiter.class)
		public RateLimiter governanceRateLimiter() {
			throw new GovernanceConfigurationException(
					ALGORITHM + "=bucket4j, but Bucket4j's Lettuce module is not on the classpath.",
					"Add com.bucket4j:bucket4j_jdk17-lettuce (mcp-governance-spring-boot-starter-redis brings it), or set " + ALGORITHM
							+ "=script, which needs Lettuce only.");
		}

	}

}
