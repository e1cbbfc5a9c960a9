package dev.mcpgovernance.identity.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live. Implementations never see a secret, only its keyed hash. */
public interface ApiKeyStore {

	Optional<ApiKey> findByHash(String keyHash);

	List<ApiKey> findAll();

	/** Stores a new key; fails when the id or hash already exists. */
	void save(ApiKey key);

	/** Marks the key revoked; returns whether a key with that id existed and was not revoked yet. */
	boolean revoke(String keyId, Instant at);

}
