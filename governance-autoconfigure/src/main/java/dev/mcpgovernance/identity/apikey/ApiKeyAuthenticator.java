package dev.mcpgovernance.identity.apikey;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Turns a presented {@code sk_…} secret into a {@link CallerIdentity}. Lookups go to the declared
 * keys first, then to the store; found keys are cached for a short time so that the store is not
 * hit on every call. Revocation through {@link ApiKeyManager} clears the cache at once on this
 * replica; other replicas see it when their entry expires ({@code cache-ttl}).
 */
public class ApiKeyAuthenticator {

	private final ApiKeyHasher hasher;

	private final DeclaredApiKeys declaredKeys;

	private final ApiKeyStore store;

	private final Clock clock;

	private final Cache<String, ApiKey> cache;

	private final RevocationListener revocations;

	public ApiKeyAuthenticator(ApiKeyHasher hasher, DeclaredApiKeys declaredKeys, ApiKeyStore store,
			Duration cacheTtl, long cacheMaxSize, Clock clock) {
		this(hasher, declaredKeys, store, cacheTtl, cacheMaxSize, clock, (keyId) -> {
		});
	}

	/** @param revocations told of every key this authenticator forgets because it was revoked */
	public ApiKeyAuthenticator(ApiKeyHasher hasher, DeclaredApiKeys declaredKeys, ApiKeyStore store,
			Duration cacheTtl, long cacheMaxSize, Clock clock, RevocationListener revocations) {
		this.hasher = hasher;
		this.declaredKeys = declaredKeys;
		this.store = store;
		this.clock = clock;
		// Maintenance on the calling thread: handed to the common pool, it woke a pool thread every few calls (issue 23).
		this.cache = Caffeine.newBuilder()
			.executor(Runnable::run)
			.expireAfterWrite(cacheTtl)
			.maximumSize(cacheMaxSize)
			.build();
		this.revocations = revocations;
	}

	public AuthenticationOutcome authenticate(String presentedSecret, Transport transport) {
		if (!ApiKeyGenerator.isWellFormed(presentedSecret)) {
			return new AuthenticationOutcome.Rejected("The API key is malformed");
		}
		String hash = this.hasher.hash(presentedSecret);
		Optional<ApiKey> found = lookup(hash);
		if (found.isEmpty() || !ApiKeyHasher.sameHash(found.get().keyHash(), hash)) {
			return new AuthenticationOutcome.Rejected("The API key is not recognised");
		}
		ApiKey key = found.get();
		if (key.revokedAt() != null) {
			return new AuthenticationOutcome.Rejected("The API key has been revoked");
		}
		if (!key.isUsableAt(this.clock.instant())) {
			return new AuthenticationOutcome.Rejected("The API key has expired");
		}
		return new AuthenticationOutcome.Authenticated(key.toIdentity(transport));
	}

	/**
	 * Forgets every cached entry of the key, so that a revocation takes effect on the next call, and
	 * tells the revocation listeners. Both revocation paths (this replica's and the broadcast) end here.
	 */
	public void evict(String keyId) {
		this.cache.asMap().values().removeIf((key) -> key.id().equals(keyId));
		this.revocations.revoked(keyId);
	}

	private Optional<ApiKey> lookup(String hash) {
		ApiKey cached = this.cache.getIfPresent(hash);
		if (cached != null) {
			return Optional.of(cached);
		}
		Optional<ApiKey> found = this.declaredKeys.findByHash(hash).or(() -> this.store.findByHash(hash));
		found.ifPresent((key) -> this.cache.put(hash, key));
		return found;
	}

}
