package dev.mcpgovernance.identity.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys created at runtime when no DataSource exists. They live as long as the JVM: fine for a first
 * run and for tests, and the reason a DataSource is the norm in production.
 */
public class InMemoryApiKeyStore implements ApiKeyStore {

	private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();

	@Override
	public Optional<ApiKey> findByHash(String keyHash) {
		return this.byId.values().stream().filter((key) -> key.keyHash().equals(keyHash)).findFirst();
	}

	@Override
	public List<ApiKey> findAll() {
		return List.copyOf(this.byId.values());
	}

	@Override
	public synchronized void save(ApiKey key) {
		if (this.byId.containsKey(key.id()) || findByHash(key.keyHash()).isPresent()) {
			throw new IllegalStateException("An API key with id " + key.id() + " or the same secret already exists");
		}
		this.byId.put(key.id(), key);
	}

	@Override
	public synchronized boolean revoke(String keyId, Instant at) {
		ApiKey key = this.byId.get(keyId);
		if (key == null || key.revokedAt() != null) {
			return false;
		}
		this.byId.put(keyId, new ApiKey(key.id(), key.keyHash(), key.ownerId(), key.ownerLabel(), key.scopes(),
				key.rateLimitRpm(), key.createdAt(), key.expiresAt(), at));
		return true;
	}

}
