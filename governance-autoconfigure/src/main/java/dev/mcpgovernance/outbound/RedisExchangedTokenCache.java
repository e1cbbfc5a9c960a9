package dev.mcpgovernance.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Exchanged tokens in Redis, shared by every replica, encrypted at rest with AES-GCM
 * ({@link TokenCipher}): Redis only ever holds ciphertext, under a key that is itself a digest.
 * Entries expire in Redis {@code refreshBefore} the token does. A Redis failure makes a miss (the
 * token is exchanged again), never a failed call.
 */
class RedisExchangedTokenCache implements ExchangedTokenCache {

	private static final Log logger = LogFactory.getLog(RedisExchangedTokenCache.class);

	private final StringRedisTemplate redis;

	private final TokenCipher cipher;

	private final String keyPrefix;

	private final Duration refreshBefore;

	private final Clock clock;

	public RedisExchangedTokenCache(StringRedisTemplate redis, TokenCipher cipher, String keyPrefix,
			Duration refreshBefore, Clock clock) {
		this.redis = redis;
		this.cipher = cipher;
		this.keyPrefix = keyPrefix;
		this.refreshBefore = refreshBefore;
		this.clock = clock;
	}

	@Override
	public Optional<ExchangedToken> get(String key) {
		String value;
		try {
			value = this.redis.opsForValue().get(this.keyPrefix + key);
		}
		catch (RuntimeException ex) {
			logger.warn("Exchanged-token cache unavailable (" + ex.getClass().getSimpleName() + "); exchanging again");
			return Optional.empty();
		}
		if (value == null) {
			return Optional.empty();
		}
		return this.cipher.open(value, key).flatMap(RedisExchangedTokenCache::parse).filter(this::usable);
	}

	@Override
	public void put(String key, ExchangedToken token) {
		Duration ttl = Duration.between(this.clock.instant(), token.expiresAt().minus(this.refreshBefore));
		if (ttl.isNegative() || ttl.isZero()) {
			return;
		}
		String plaintext = token.expiresAt().getEpochSecond() + "\n" + token.value();
		try {
			this.redis.opsForValue().set(this.keyPrefix + key, this.cipher.seal(plaintext, key), ttl);
		}
		catch (RuntimeException ex) {
			logger.warn("Exchanged-token cache unavailable (" + ex.getClass().getSimpleName() + "); token not kept");
		}
	}

	private boolean usable(ExchangedToken token) {
		return this.clock.instant().plus(this.refreshBefore).isBefore(token.expiresAt());
	}

	private static Optional<ExchangedToken> parse(String plaintext) {
		int newline = plaintext.indexOf('\n');
		if (newline < 1) {
			return Optional.empty();
		}
		try {
			Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(plaintext.substring(0, newline)));
			return Optional.of(new ExchangedToken(plaintext.substring(newline + 1), expiresAt));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

}
