package dev.mcpgovernance.identity.apikey;

import dev.mcpgovernance.identity.CredentialKind;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;

/**
 * API keys: the store (JDBC when a DataSource exists, in memory otherwise), keys declared in
 * configuration, and the authenticator and its {@link CredentialKind}, which exist only once a pepper
 * is configured (and {@code mcp.governance.api-keys.enabled} is not false).
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, DataRedisAutoConfiguration.class,
		GovernanceStorageAutoConfiguration.class })
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ApiKeyProperties.class)
public class GovernanceIdentityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public DeclaredApiKeys declaredApiKeys(ApiKeyProperties properties) {
		if (properties.getPepper() == null && !properties.getDeclared().isEmpty()) {
			throw new GovernanceConfigurationException(
					"API keys are declared in " + ApiKeyProperties.PREFIX + ".declared but no pepper is set, so none can be verified.",
					"Set " + ApiKeyProperties.PREFIX + ".pepper (at least " + ApiKeyHasher.MIN_PEPPER_LENGTH
							+ " characters, e.g. from the environment variable MCP_GOVERNANCE_API_KEYS_PEPPER) to the pepper the hashes were made with.");
		}
		List<ApiKey> keys = properties.getDeclared().stream().map(GovernanceIdentityAutoConfiguration::toApiKey).toList();
		requireDistinct(keys, ApiKey::id, "id");
		requireDistinct(keys, ApiKey::keyHash, "hash");
		return new DeclaredApiKeys(keys);
	}

	// Declared here rather than in a nested class: outer bean methods are processed after the nested
	// JDBC configuration, so this one reliably backs off when a JDBC store exists.
	@Bean
	@ConditionalOnMissingBean(ApiKeyStore.class)
	public InMemoryApiKeyStore inMemoryApiKeyStore() {
		return new InMemoryApiKeyStore();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = ApiKeyProperties.PREFIX, name = "pepper")
	@ConditionalOnBooleanProperty(prefix = ApiKeyProperties.PREFIX, name = "enabled", matchIfMissing = true)
	public ApiKeyHasher apiKeyHasher(ApiKeyProperties properties) {
		// Checked here rather than with @Size: a failed validation report would print the secret.
		if (properties.getPepper().length() < ApiKeyHasher.MIN_PEPPER_LENGTH) {
			throw new GovernanceConfigurationException(
					ApiKeyProperties.PREFIX + ".pepper is shorter than " + ApiKeyHasher.MIN_PEPPER_LENGTH + " characters.",
					"Use a random value of at least " + ApiKeyHasher.MIN_PEPPER_LENGTH
							+ " characters, e.g. `openssl rand -base64 48`, and re-hash declared keys with it.");
		}
		return new ApiKeyHasher(properties.getPepper());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ApiKeyHasher.class)
	public ApiKeyAuthenticator apiKeyAuthenticator(ApiKeyHasher hasher, DeclaredApiKeys declaredKeys, ApiKeyStore store,
			ApiKeyProperties properties, ObjectProvider<RevocationListener> revocationListeners) {
		// Looked up per revocation: a listener (the session registry) may be created after the authenticator.
		return new ApiKeyAuthenticator(hasher, declaredKeys, store, properties.getCacheTtl(),
				properties.getCacheMaxSize(), Clock.systemUTC(),
				(keyId) -> revocationListeners.orderedStream().forEach((listener) -> listener.revoked(keyId)));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ApiKeyAuthenticator.class)
	public ApiKeyCredentialKind apiKeyCredentialKind(ApiKeyAuthenticator authenticator) {
		return new ApiKeyCredentialKind(authenticator);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ApiKeyAuthenticator.class)
	public ApiKeyReportContributor apiKeyReportContributor(ApiKeyStore store) {
		return new ApiKeyReportContributor(store);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ApiKeyHasher.class)
	public ApiKeyManager apiKeyManager(ApiKeyHasher hasher, ApiKeyStore store, DeclaredApiKeys declaredKeys,
			ApiKeyAuthenticator authenticator, ObjectProvider<RevocationBroadcast> broadcast) {
		return new ApiKeyManager(hasher, store, declaredKeys, authenticator, Clock.systemUTC(),
				broadcast.getIfAvailable(() -> RevocationBroadcast.NONE));
	}

	// Revocations then travel through Redis, so Redis's health belongs to the governance health group.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(prefix = ApiKeyProperties.PREFIX, name = "broadcast-revocations")
	static class RevocationBroadcastHealthMemberConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "revocationBroadcastRedisHealthMember")
		public GovernanceHealthMember revocationBroadcastRedisHealthMember() {
			return new GovernanceHealthMember("redis");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
	@ConditionalOnProperty(prefix = ApiKeyProperties.PREFIX, name = "pepper")
	@ConditionalOnBooleanProperty(prefix = ApiKeyProperties.PREFIX, name = "broadcast-revocations")
	static class RevocationBroadcastConfiguration {

		@Bean
		@ConditionalOnMissingBean(RevocationBroadcast.class)
		public RedisRevocationBroadcast redisRevocationBroadcast(RedisConnectionFactory redis,
				ApiKeyAuthenticator authenticator, ApiKeyProperties properties) {
			return new RedisRevocationBroadcast(new StringRedisTemplate(redis), properties.getRevocationChannel(),
					authenticator);
		}

		@Bean
		@ConditionalOnMissingBean(name = "mcpGovernanceRevocationListener")
		public RedisMessageListenerContainer mcpGovernanceRevocationListener(RedisConnectionFactory redis,
				RedisRevocationBroadcast broadcast) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(redis);
			container.addMessageListener(broadcast, new ChannelTopic(broadcast.channel()));
			return container;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcClient.class)
	@ConditionalOnBean(DataSource.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ApiKeyStore.class)
		public JdbcApiKeyStore jdbcApiKeyStore(DataSource dataSource, ObjectProvider<GovernanceSchemaMigrator> migrator) {
			// The table must exist before the first lookup; the migrator creates it when Flyway is present.
			migrator.getIfAvailable();
			return new JdbcApiKeyStore(JdbcClient.create(dataSource));
		}

	}

	private static void requireDistinct(List<ApiKey> keys, Function<ApiKey, String> attribute, String name) {
		Map<String, String> seen = new HashMap<>();
		for (ApiKey key : keys) {
			String earlier = seen.putIfAbsent(attribute.apply(key), key.id());
			if (earlier != null) {
				throw new GovernanceConfigurationException(
						"API keys '" + earlier + "' and '" + key.id() + "' in " + ApiKeyProperties.PREFIX
								+ ".declared have the same " + name + ".",
						"Give every declared key its own id and its own secret (generate one with GenerateApiKey).");
			}
		}
	}

	private static ApiKey toApiKey(ApiKeyProperties.DeclaredKey declared) {
		ScopeSet scopes;
		try {
			scopes = ScopeSet.parse(declared.getScopes());
		}
		catch (MalformedScopeException ex) {
			throw new GovernanceConfigurationException(
					"API key '" + declared.getId() + "' in " + ApiKeyProperties.PREFIX + ".declared has a malformed scope: "
							+ ex.getMessage() + ".",
					"Use domain:resource:action with lower-case words; '*' may stand for the resource or the action.");
		}
		return new ApiKey(declared.getId(), declared.getHash(), declared.getOwnerId(), declared.getOwnerLabel(), scopes,
				declared.getRateLimitRpm(), null, declared.getExpiresAt(), null);
	}

}
