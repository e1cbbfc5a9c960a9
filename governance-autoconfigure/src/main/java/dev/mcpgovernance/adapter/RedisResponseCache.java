package dev.mcpgovernance.adapter;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The response cache shared by every replica: one Redis string per entry,
 * {@code <prefix><namespace>:<hashed key>}, holding {@code {"source": …, "value": …}} as JSON, with
 * the namespace's TTL. While Redis fails, calls go to the sources (a miss) and, for
 * {@code retryInterval}, do not wait on Redis again.
 */
class RedisResponseCache implements ResponseCache {

	private static final Log logger = LogFactory.getLog(RedisResponseCache.class);

	private final StringRedisTemplate redis;

	private final ObjectMapper json;

	private final String keyPrefix;

	private final Function<String, Duration> ttl;

	private final Duration retryInterval;

	private final Clock clock;

	private volatile Instant skipUntil = Instant.MIN;

	public RedisResponseCache(StringRedisTemplate redis, ObjectMapper json, String keyPrefix,
			Function<String, Duration> ttl, Duration retryInterval) {
		this(redis, json, keyPrefix, ttl, retryInterval, Clock.systemUTC());
	}

	RedisResponseCache(StringRedisTemplate redis, ObjectMapper json, String keyPrefix, Function<String, Duration> ttl,
			Duration retryInterval, Clock clock) {
		this.redis = redis;
		this.json = json;
		this.keyPrefix = keyPrefix;
		this.ttl = ttl;
		this.retryInterval = retryInterval;
		this.clock = clock;
	}

	@Override
	public <T> Optional<CachedAnswer<T>> get(String namespace, String key, Type type) {
		if (skipping()) {
			return Optional.empty();
		}
		try {
			String stored = this.redis.opsForValue().get(redisKey(namespace, key));
			if (stored == null) {
				return Optional.empty();
			}
			JsonNode entry = this.json.readTree(stored);
			T value = this.json.convertValue(entry.get("value"), this.json.getTypeFactory().constructType(type));
			return Optional.of(new CachedAnswer<>(entry.get("source").asString(""), value));
		}
		catch (DataAccessException ex) {
			failed(ex);
			return Optional.empty();
		}
		catch (Exception ex) {
			// An entry written by another version of the answer's type: a miss, and the put replaces it.
			logger.warn("Unreadable response-cache entry in namespace '" + namespace + "' (" + ex.getClass().getName()
					+ "); asking the sources");
			return Optional.empty();
		}
	}

	@Override
	public void put(String namespace, String key, CachedAnswer<?> answer) {
		if (skipping()) {
			return;
		}
		try {
			ObjectNode entry = this.json.createObjectNode();
			entry.put("source", answer.source());
			entry.set("value", this.json.valueToTree(answer.value()));
			this.redis.opsForValue()
				.set(redisKey(namespace, key), this.json.writeValueAsString(entry), this.ttl.apply(namespace));
		}
		catch (DataAccessException ex) {
			failed(ex);
		}
		catch (Exception ex) {
			logger.warn("Answer of namespace '" + namespace + "' not cached: it cannot be written as JSON ("
					+ ex.getClass().getName() + ")");
		}
	}

	private String redisKey(String namespace, String key) {
		return this.keyPrefix + namespace + ":" + key;
	}

	private boolean skipping() {
		return this.clock.instant().isBefore(this.skipUntil);
	}

	private void failed(DataAccessException ex) {
		this.skipUntil = this.clock.instant().plus(this.retryInterval);
		// The type only: a message might quote a cached value.
		logger.warn("Response cache in Redis failed with " + ex.getClass().getName() + "; calls go to the sources for "
				+ this.retryInterval);
	}

}
