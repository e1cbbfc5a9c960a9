package dev.mcpgovernance.connector.openapi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.connector.openapi.auth.DownstreamAuthorizers;
import dev.mcpgovernance.connector.openapi.auth.ExchangedTokenCache;
import dev.mcpgovernance.connector.openapi.auth.InMemoryExchangedTokenCache;
import dev.mcpgovernance.connector.openapi.auth.RedisExchangedTokenCache;
import dev.mcpgovernance.connector.openapi.auth.TokenCacheProperties;
import dev.mcpgovernance.connector.openapi.auth.TokenCipher;
import dev.mcpgovernance.connector.openapi.auth.TokenExchangeClient;
import dev.mcpgovernance.connector.openapi.auth.TokenExchangeProperties;
import dev.mcpgovernance.connector.openapi.auth.TokenExchanger;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;

import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStatelessAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * OpenAPI connectors: the operations each connector includes become governed tools, for whichever
 * MCP server protocol is configured, with their downstream credentials (service identity or RFC
 * 8693 token exchange, with its token cache in memory or in Redis), each API called through the
 * adapters' {@link AdapterResilience} when there is one.
 */
@AutoConfiguration(after = { GovernanceToolAutoConfiguration.class, DataRedisAutoConfiguration.class })
@ConditionalOnClass(name = "io.swagger.v3.parser.OpenAPIV3Parser")
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ OpenApiConnectorProperties.class, TokenExchangeProperties.class,
		TokenCacheProperties.class, GovernanceProperties.class })
public class GovernanceConnectorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public ExchangedTokenCache exchangedTokenCache(TokenCacheProperties properties) {
		if (properties.getStore() == TokenCacheProperties.Store.REDIS) {
			// Reached only when the Redis cache below could not be made: never fall back silently.
			throw new GovernanceConfigurationException(
					TokenCacheProperties.PREFIX + ".store=redis, but Spring Data Redis is not on the classpath.",
					"Add spring-boot-starter-data-redis, or set " + TokenCacheProperties.PREFIX + ".store=memory.");
		}
		return new InMemoryExchangedTokenCache(properties.getMaximumSize(), properties.getRefreshBefore(),
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = TokenExchangeProperties.PREFIX, name = "token-uri")
	public TokenExchanger tokenExchanger(TokenExchangeProperties properties, ExchangedTokenCache cache) {
		if (properties.getClientId() == null || properties.getClientSecret() == null) {
			throw new GovernanceConfigurationException(
					TokenExchangeProperties.PREFIX + ".token-uri is set without client-id and client-secret.",
					"Set " + TokenExchangeProperties.PREFIX + ".client-id and client-secret: this server's client at the authorization server.");
		}
		TokenExchangeClient client = new TokenExchangeClient(properties.getTokenUri(), properties.getClientId(),
				properties.getClientSecret(), properties.getTimeout(), Clock.systemUTC());
		return new TokenExchanger(client, cache);
	}

	@Bean
	@ConditionalOnMissingBean
	public DownstreamAuthorizers downstreamAuthorizers(Environment environment, ObjectProvider<TokenExchanger> exchanger) {
		return new DownstreamAuthorizers(environment, exchanger.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	public OpenApiConnectors openApiConnectors(OpenApiConnectorProperties properties,
			ObjectProvider<OpenApiConnector> connectorBeans, GovernanceProperties governance, ResourceLoader resourceLoader,
			GovernedToolRegistry registry, DownstreamAuthorizers authorizers, ObjectProvider<AdapterResilience> resilience) {
		List<OpenApiConnector> connectors = new ArrayList<>(properties.toConnectors());
		connectorBeans.orderedStream().forEach(connectors::add);
		// The adapters' breaker, retry and time limit; none when adapters are switched off.
		return new OpenApiConnectors(connectors, governance.getDomain(), resourceLoader, registry, authorizers,
				resilience.getIfAvailable(() -> AdapterResilience.NONE), new ObjectMapper());
	}

	// Spring AI's protocol conditions are evaluated while parsing configuration classes, not on bean methods.
	@Configuration(proxyBeanMethods = false)
	@Conditional(McpServerAutoConfiguration.NonStatelessServerCondition.class)
	static class SyncToolsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "openApiConnectorSyncTools")
		public List<McpServerFeatures.SyncToolSpecification> openApiConnectorSyncTools(OpenApiConnectors connectors) {
			return connectors.syncToolSpecifications();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(McpServerStatelessAutoConfiguration.EnabledStatelessServerCondition.class)
	static class StatelessToolsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "openApiConnectorStatelessTools")
		public List<McpStatelessServerFeatures.SyncToolSpecification> openApiConnectorStatelessTools(
				OpenApiConnectors connectors) {
			return connectors.statelessToolSpecifications();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.core.StringRedisTemplate")
	@ConditionalOnProperty(prefix = TokenCacheProperties.PREFIX, name = "store", havingValue = "redis")
	static class RedisTokenCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(ExchangedTokenCache.class)
		public RedisExchangedTokenCache redisExchangedTokenCache(ObjectProvider<StringRedisTemplate> redis,
				TokenCacheProperties properties) {
			StringRedisTemplate template = redis.getIfAvailable();
			if (template == null) {
				throw new GovernanceConfigurationException(
						TokenCacheProperties.PREFIX + ".store=redis, but no Redis connection is configured.",
						"Configure spring.data.redis.*, or set " + TokenCacheProperties.PREFIX + ".store=memory.");
			}
			return new RedisExchangedTokenCache(template, cipher(properties), properties.getKeyPrefix(),
					properties.getRefreshBefore(), Clock.systemUTC());
		}

		private static TokenCipher cipher(TokenCacheProperties properties) {
			byte[] key;
			try {
				key = (properties.getEncryptionKey() != null) ? Base64.getDecoder().decode(properties.getEncryptionKey().trim())
						: new byte[0];
			}
			catch (IllegalArgumentException ex) {
				key = new byte[0];
			}
			if (key.length != 32) {
				throw new GovernanceConfigurationException(
						TokenCacheProperties.PREFIX + ".encryption-key must be the base64 of 32 random bytes (AES-256).",
						"Set it to the output of 'openssl rand -base64 32', kept as a secret.");
			}
			if (properties.getKeyId().contains(".")) {
				throw new GovernanceConfigurationException(
						TokenCacheProperties.PREFIX + ".key-id must not contain '.'.", "Use a name such as k2.");
			}
			return new TokenCipher(key, properties.getKeyId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public OpenApiConnectorsHealthIndicator openApiConnectorsHealthIndicator(OpenApiConnectors connectors) {
			return new OpenApiConnectorsHealthIndicator(connectors);
		}

	}

}
