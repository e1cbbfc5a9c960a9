package dev.mcpgovernance.identity.apikey;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.scope.ScopeSet;

/** Creates, lists and revokes API keys. The secret exists only in the value returned by {@link #create}. */
public class ApiKeyManager {

	private final ApiKeyHasher hasher;

	private final ApiKeyStore store;

	private final DeclaredApiKeys declaredKeys;

	private final ApiKeyAuthenticator authenticator;

	private final Clock clock;

	private final RevocationBroadcast broadcast;

	public ApiKeyManager(ApiKeyHasher hasher, ApiKeyStore store, DeclaredApiKeys declaredKeys,
			ApiKeyAuthenticator authenticator, Clock clock) {
		this(hasher, store, declaredKeys, authenticator, clock, RevocationBroadcast.NONE);
	}

	/** @param broadcast tells other replicas about revocations; {@link RevocationBroadcast#NONE} for one replica */
	public ApiKeyManager(ApiKeyHasher hasher, ApiKeyStore store, DeclaredApiKeys declaredKeys,
			ApiKeyAuthenticator authenticator, Clock clock, RevocationBroadcast broadcast) {
		this.hasher = hasher;
		this.store = store;
		this.declaredKeys = declaredKeys;
		this.authenticator = authenticator;
		this.clock = clock;
		this.broadcast = broadcast;
	}

	/**
	 * Creates a key. The returned secret is shown once and never stored.
	 * @param expiresAt when the key stops working, or {@code null} for no expiry
	 */
	public CreatedApiKey create(String ownerId, String ownerLabel, ScopeSet scopes, Integer rateLimitRpm,
			Instant expiresAt) {
		String secret = ApiKeyGenerator.newSecret();
		ApiKey key = new ApiKey(ApiKeyGenerator.newKeyId(), this.hasher.hash(secret), ownerId, ownerLabel, scopes,
				rateLimitRpm, this.clock.instant(), expiresAt, null);
		this.store.save(key);
		return new CreatedApiKey(key, secret);
	}

	/** Revokes a stored key; keys declared in configuration are revoked by removing them there. */
	public boolean revoke(String keyId) {
		boolean revoked = this.store.revoke(keyId, this.clock.instant());
		this.authenticator.evict(keyId);
		if (revoked) {
			this.broadcast.revoked(keyId);
		}
		return revoked;
	}

	/** Whether the key is declared in configuration, where it is changed or removed; not here. */
	public boolean isDeclared(String keyId) {
		return this.declaredKeys.all().stream().anyMatch((key) -> key.id().equals(keyId));
	}

	/** Every key, declared and stored, without secrets. */
	public List<ApiKey> list() {
		List<ApiKey> all = new ArrayList<>(this.declaredKeys.all());
		all.addAll(this.store.findAll());
		return all;
	}

	/** A newly created key and its secret; the secret cannot be recovered later. */
	public record CreatedApiKey(ApiKey key, String secret) {

		@Override
		public String toString() {
			return "CreatedApiKey[id=" + this.key.id() + ", secret=<hidden>]";
		}

	}

}
