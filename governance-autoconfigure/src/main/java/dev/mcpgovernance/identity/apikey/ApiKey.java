package dev.mcpgovernance.identity.apikey;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import java.time.Instant;
import java.util.Objects;

import dev.mcpgovernance.scope.ScopeSet;

/**
 * A stored API key: everything but the secret, which is never kept. {@code keyHash} is the
 * HMAC-SHA-256 of the secret under the server's pepper, hex encoded.
 */
public record ApiKey(String id, String keyHash, String ownerId, String ownerLabel, ScopeSet scopes,
		Integer rateLimitRpm, Instant createdAt, Instant expiresAt, Instant revokedAt) {

	public ApiKey {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(keyHash, "keyHash");
		Objects.requireNonNull(ownerId, "ownerId");
		Objects.requireNonNull(scopes, "scopes");
	}

	/** Whether the key may authenticate a call at {@code now}. */
	public boolean isUsableAt(Instant now) {
		return this.revokedAt == null && (this.expiresAt == null || now.isBefore(this.expiresAt));
	}

	public CallerIdentity toIdentity(Transport transport) {
		return new CallerIdentity(this.id, this.ownerId, this.ownerLabel, this.scopes, this.rateLimitRpm, transport, null,
				null, this.expiresAt);
	}

}
