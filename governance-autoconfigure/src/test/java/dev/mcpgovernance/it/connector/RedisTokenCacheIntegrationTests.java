package dev.mcpgovernance.it.connector;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.it.oauth.TestAuthorizationServer;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token-exchange tests again with the exchanged-token cache in the real Redis
 * ({@code mcp.governance.token-cache.store=redis}, own random key prefix), and what Redis holds:
 * AES-GCM ciphertext, never the token.
 */
class RedisTokenCacheIntegrationTests extends TokenExchangeIntegrationTests {

	static final String PREFIX = "mcpg-test-token-" + UUID.randomUUID() + ":";

	@Autowired
	StringRedisTemplate redis;

	@DynamicPropertySource
	static void redisCache(DynamicPropertyRegistry registry) {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		registry.add("mcp.governance.token-cache.store", () -> "redis");
		registry.add("mcp.governance.token-cache.encryption-key", () -> Base64.getEncoder().encodeToString(key));
		registry.add("mcp.governance.token-cache.key-prefix", () -> PREFIX);
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> "6379");
	}

	@AfterEach
	void removeOurKeys() {
		Set<String> keys = this.redis.keys(PREFIX + "*");
		if (keys != null && !keys.isEmpty()) {
			this.redis.delete(keys);
		}
	}

	@Test
	void redisHoldsCiphertextNeverTheToken() throws Exception {
		String inbound = AUTHORIZATION_SERVER.token(TestAuthorizationServer.ORDERS_CLIENT, "petstore:pet:read");
		try (McpSyncClient client = McpTestClient.streamable(this.port, "Authorization", "Bearer " + inbound)) {
			call(client, "getPetById", Map.of("petId", 5));
		}
		String downstream = UPSTREAM.lastRequest().authorization().substring("Bearer ".length());
		Set<String> keys = this.redis.keys(PREFIX + "*");
		assertThat(keys).hasSize(1);
		String cacheKey = keys.iterator().next();
		assertThat(cacheKey.substring(PREFIX.length())).matches("[0-9a-f]{64}").doesNotContain("orders-agent");
		String raw = this.redis.opsForValue().get(cacheKey);
		assertThat(raw).startsWith("v1.k1.");
		String[] jwtParts = downstream.split("\\.");
		assertThat(raw).doesNotContain(downstream, jwtParts[0], jwtParts[1], jwtParts[2], inbound);
		assertThat(new String(Base64.getDecoder().decode(raw.substring("v1.k1.".length()))))
			.doesNotContain(jwtParts[1]);
		assertThat(this.redis.getExpire(cacheKey)).isPositive();
	}

}
