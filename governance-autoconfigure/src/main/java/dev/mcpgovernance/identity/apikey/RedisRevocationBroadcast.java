package dev.mcpgovernance.identity.apikey;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Revocations over Redis pub/sub: a replica that revokes a key publishes its id; every replica
 * subscribed to the channel evicts it. The key table stays the source of truth, so a lost message
 * only means the old wait (the cache TTL) on the replica that missed it.
 */
class RedisRevocationBroadcast implements RevocationBroadcast, MessageListener {

	private static final Log logger = LogFactory.getLog(RedisRevocationBroadcast.class);

	private final StringRedisTemplate redis;

	private final String channel;

	private final ApiKeyAuthenticator authenticator;

	public RedisRevocationBroadcast(StringRedisTemplate redis, String channel, ApiKeyAuthenticator authenticator) {
		this.redis = redis;
		this.channel = channel;
		this.authenticator = authenticator;
	}

	@Override
	public void revoked(String keyId) {
		try {
			this.redis.convertAndSend(this.channel, keyId);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not broadcast the revocation of API key " + keyId + " (" + ex.getClass().getSimpleName()
					+ "); other replicas drop it when their cache entry expires");
		}
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		this.authenticator.evict(new String(message.getBody(), StandardCharsets.UTF_8));
	}

	public String channel() {
		return this.channel;
	}

}
