package dev.mcpgovernance.identity.apikey;

/**
 * Tells the other replicas that a key was revoked, so that each drops it from its cache at once
 * instead of when the cache entry expires.
 */
@FunctionalInterface
public interface RevocationBroadcast {

	/** For a single replica: its own cache is cleared by the revocation itself. */
	RevocationBroadcast NONE = (keyId) -> {
	};

	void revoked(String keyId);

}
