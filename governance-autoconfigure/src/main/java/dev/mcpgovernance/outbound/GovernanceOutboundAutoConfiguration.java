package dev.mcpgovernance.outbound;

import java.time.Clock;
import java.util.Base64;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The credentials this server sends on its own outgoing calls, shared by the OpenAPI connectors and
 * the gateway's upstreams: a service identity from the environment, or the caller's token exchanged
 * by RFC 8693 (with its token cache in memory or in Redis, encrypted at rest).
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ TokenExchangeProperties.class, TokenCacheProperties.class })
public class GovernanceOutboundAutoConfiguration {

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

}
