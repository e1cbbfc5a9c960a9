package dev.mcpgovernance.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/** Exchanged tokens in this JVM (Caffeine), bounded, each dropped {@code refreshBefore} its expiry. */
public class InMemoryExchangedTokenCache implements ExchangedTokenCache {

	private final Cache<String, ExchangedToken> tokens;

	private final Duration refreshBefore;

	private final Clock clock;

	public InMemoryExchangedTokenCache(long maximumSize, Duration refreshBefore, Clock clock) {
		this.refreshBefore = refreshBefore;
		this.clock = clock;
		this.tokens = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new UntilShortlyBeforeExpiry()).build();
	}

	@Override
	public Optional<ExchangedToken> get(String key) {
		ExchangedToken token = this.tokens.getIfPresent(key);
		// Caffeine's own clock may lag a little; a token about to expire is never handed out.
		return (token != null && usable(token)) ? Optional.of(token) : Optional.empty();
	}

	@Override
	public void put(String key, ExchangedToken token) {
		if (usable(token)) {
			this.tokens.put(key, token);
		}
	}

	private boolean usable(ExchangedToken token) {
		return this.clock.instant().plus(this.refreshBefore).isBefore(token.expiresAt());
	}

	private final class UntilShortlyBeforeExpiry implements Expiry<String, ExchangedToken> {

		@Override
		public long expireAfterCreate(String key, ExchangedToken token, long currentTime) {
			Instant until = token.expiresAt().minus(InMemoryExchangedTokenCache.this.refreshBefore);
			return Math.max(0, Duration.between(InMemoryExchangedTokenCache.this.clock.instant(), until).toNanos());
		}

		@Override
		public long expireAfterUpdate(String key, ExchangedToken token, long currentTime, long currentDuration) {
			return expireAfterCreate(key, token, currentTime);
		}

		@Override
		public long expireAfterRead(String key, ExchangedToken token, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
