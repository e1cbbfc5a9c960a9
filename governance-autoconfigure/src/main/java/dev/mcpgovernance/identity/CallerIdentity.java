package dev.mcpgovernance.identity;

import java.time.Instant;
import java.util.Objects;

import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;

/**
 * Who is calling: the verified result of authentication, never anything the caller asserted
 * about itself. Scopes and the rate limit come from the server's own key store or configuration.
 *
 * @param keyId the credential that authenticated the call: an API key id, or {@code jwt:<issuer>#<client id>}
 *        for an OAuth access token
 * @param ownerId the stable id of the person or system that owns the credential
 * @param ownerLabel a human-readable name for logs and the audit trail; may be {@code null}
 * @param scopes the granted scopes
 * @param rateLimitRpm requests per minute allowed for this caller; {@code null} means the server default
 * @param transport how the call arrived
 * @param tenant the tenant the caller belongs to, when its credential names one; may be {@code null}
 * @param delegation what a delegated credential (a capability token) narrows beyond {@code scopes};
 *        {@code null} for other credentials
 * @param validUntil when the credential stops being accepted (an API key's expiry, a token's {@code exp}
 *        plus the accepted clock skew); {@code null} when it has no end or none is known. Sessions bound
 *        to the caller end then.
 */
public record CallerIdentity(String keyId, String ownerId, String ownerLabel, ScopeSet scopes, Integer rateLimitRpm,
		Transport transport, String tenant, Delegation delegation, Instant validUntil) {

	public CallerIdentity {
		Objects.requireNonNull(keyId, "keyId");
		Objects.requireNonNull(ownerId, "ownerId");
		Objects.requireNonNull(scopes, "scopes");
		Objects.requireNonNull(transport, "transport");
	}

	/** A caller without a tenant, such as an API key. */
	public CallerIdentity(String keyId, String ownerId, String ownerLabel, ScopeSet scopes, Integer rateLimitRpm,
			Transport transport) {
		this(keyId, ownerId, ownerLabel, scopes, rateLimitRpm, transport, null, null, null);
	}

	/** A caller whose credential is not delegated, such as an access token. */
	public CallerIdentity(String keyId, String ownerId, String ownerLabel, ScopeSet scopes, Integer rateLimitRpm,
			Transport transport, String tenant) {
		this(keyId, ownerId, ownerLabel, scopes, rateLimitRpm, transport, tenant, null, null);
	}

	/** A caller whose credential has no known end of validity. */
	public CallerIdentity(String keyId, String ownerId, String ownerLabel, ScopeSet scopes, Integer rateLimitRpm,
			Transport transport, String tenant, Delegation delegation) {
		this(keyId, ownerId, ownerLabel, scopes, rateLimitRpm, transport, tenant, delegation, null);
	}

	public boolean holds(Scope required) {
		return this.scopes.covers(required);
	}

	public CallerIdentity withTransport(Transport transport) {
		return new CallerIdentity(this.keyId, this.ownerId, this.ownerLabel, this.scopes, this.rateLimitRpm, transport,
				this.tenant, this.delegation, this.validUntil);
	}

	public CallerIdentity withValidUntil(Instant validUntil) {
		return new CallerIdentity(this.keyId, this.ownerId, this.ownerLabel, this.scopes, this.rateLimitRpm,
				this.transport, this.tenant, this.delegation, validUntil);
	}

}
