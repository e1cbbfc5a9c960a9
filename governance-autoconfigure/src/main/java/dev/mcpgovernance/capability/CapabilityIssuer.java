package dev.mcpgovernance.capability;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.mcpgovernance.scope.Scope;
import io.vavr.control.Option;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.error.Error;
import org.biscuitsec.biscuit.token.Biscuit;

/**
 * Mints root capability tokens with the server's signing key. Only a service that holds the private
 * key has one; narrowing a token needs no key ({@link CapabilityTokens#attenuate}).
 */
public class CapabilityIssuer {

	private final KeyPair signingKey;

	private final int keyId;

	private final Duration maxTtl;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	/**
	 * @param signingKey the Ed25519 key pair tokens are signed with
	 * @param keyId the root key id written into every token, under which verifiers list the public key
	 * @param maxTtl longest lifetime a token may have
	 * @param clock where lifetimes start
	 */
	public CapabilityIssuer(KeyPair signingKey, int keyId, Duration maxTtl, Clock clock) {
		this.signingKey = signingKey;
		this.keyId = keyId;
		this.maxTtl = maxTtl;
		this.clock = clock;
	}

	/**
	 * @throws IllegalArgumentException when the grant asks for a longer life than {@code max-ttl}
	 */
	public MintedCapability mint(CapabilityGrant grant) {
		if (grant.ttl().compareTo(this.maxTtl) > 0) {
			throw new IllegalArgumentException("The ttl exceeds the longest allowed (" + this.maxTtl + ")");
		}
		Instant expiresAt = this.clock.instant().plus(grant.ttl());
		try {
			org.biscuitsec.biscuit.token.builder.Biscuit builder = Biscuit.builder(this.random, this.signingKey,
					Option.some(this.keyId));
			builder.add_authority_fact(CapabilityDatalog.subject(grant.subject()));
			if (grant.label() != null) {
				builder.add_authority_fact(CapabilityDatalog.label(grant.label()));
			}
			for (Scope scope : grant.scopes().scopes()) {
				builder.add_authority_fact(CapabilityDatalog.scope(scope));
			}
			if (!grant.tools().isEmpty()) {
				builder.add_authority_check(CapabilityDatalog.toolCheck(grant.tools()));
			}
			builder.add_authority_check(CapabilityDatalog.expiryCheck(expiresAt));
			for (var limit : grant.limits().entrySet()) {
				builder.add_authority_check(CapabilityDatalog.limitCheck(limit.getKey(), limit.getValue()));
			}
			Biscuit token = builder.build();
			String keyId = "cap:" + this.keyId + "#" + token.revocation_identifiers().get(0).toHex().substring(0, 16);
			return new MintedCapability(token.serialize_b64url(), keyId, expiresAt);
		}
		catch (Error ex) {
			throw new IllegalStateException("Could not mint a capability token: " + ex.getClass().getSimpleName());
		}
	}

}
