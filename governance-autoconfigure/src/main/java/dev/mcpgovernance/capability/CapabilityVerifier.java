package dev.mcpgovernance.capability;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.ScopeSet;
import org.biscuitsec.biscuit.error.Error;
import org.biscuitsec.biscuit.error.FailedCheck;
import org.biscuitsec.biscuit.token.Biscuit;

/**
 * Verifies a capability token and turns it into the caller: the signature chain against the root
 * key the token names, the depth, and the checks of every block that apply before any tool is
 * known (expiry, limits). The caller's scopes are the authority block's; the narrower rights of
 * later blocks travel with it as its {@link VerifiedCapability delegation} and are checked on every
 * tool call. Reasons are safe to show: they never quote the token.
 */
class CapabilityVerifier implements CapabilityAuthenticator {

	private final CapabilityKeys keys;

	private final int maxDepth;

	private final Integer rateLimitRpm;

	private final Clock clock;

	/**
	 * @param keys the trusted public keys
	 * @param maxDepth most attenuation blocks a token may carry
	 * @param rateLimitRpm requests per minute per root token; {@code null} for the server default
	 * @param clock the time expiry checks compare with
	 */
	public CapabilityVerifier(CapabilityKeys keys, int maxDepth, Integer rateLimitRpm, Clock clock) {
		this.keys = keys;
		this.maxDepth = maxDepth;
		this.rateLimitRpm = rateLimitRpm;
		this.clock = clock;
	}

	@Override
	public AuthenticationOutcome authenticate(String token) {
		if (token == null || token.isBlank()) {
			return new AuthenticationOutcome.Rejected("The capability token is empty.");
		}
		Biscuit biscuit;
		Integer rootKeyId;
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(token.trim());
			rootKeyId = CapabilityTokens.rootKeyId(bytes);
			biscuit = Biscuit.from_bytes(bytes, this.keys);
		}
		catch (InvalidKeyException ex) {
			return new AuthenticationOutcome.Rejected(
					"The capability token names a signing key this server does not trust.");
		}
		catch (Error.FormatError.Signature ex) {
			return new AuthenticationOutcome.Rejected("The capability token's signature is not valid.");
		}
		catch (Error | GeneralSecurityException | IOException | RuntimeException ex) {
			return new AuthenticationOutcome.Rejected("The capability token is malformed.");
		}
		try {
			return authenticated(biscuit, rootKeyId);
		}
		catch (Error ex) {
			return new AuthenticationOutcome.Rejected(expired(ex) ? "The capability token has expired."
					: "The capability token is refused by its own checks.");
		}
	}

	private AuthenticationOutcome authenticated(Biscuit biscuit, int rootKeyId) throws Error {
		VerifiedCapability capability = VerifiedCapability.of(biscuit, this.clock);
		if (capability.depth() > this.maxDepth) {
			return new AuthenticationOutcome.Rejected(
					"The capability token was narrowed more than " + this.maxDepth + " times.");
		}
		VerifiedCapability.Authority authority = capability.authorizeConnection();
		Set<String> subjects = authority.subjects();
		Set<String> labels = authority.labels();
		ScopeSet scopes;
		try {
			scopes = ScopeSet.parse(authority.scopes());
		}
		catch (MalformedScopeException ex) {
			return new AuthenticationOutcome.Rejected("The capability token grants a malformed scope.");
		}
		if (subjects.size() != 1 || labels.size() > 1 || scopes.scopes().isEmpty()) {
			return new AuthenticationOutcome.Rejected("The capability token does not name one subject and its scopes.");
		}
		String keyId = "cap:" + rootKeyId + "#" + capability.rootRevocationId().substring(0, 16);
		return new AuthenticationOutcome.Authenticated(new CallerIdentity(keyId, subjects.iterator().next(),
				labels.stream().findFirst().orElse(null), scopes, this.rateLimitRpm, Transport.CAPABILITY, null,
				capability, capability.expiresAt()));
	}

	private static boolean expired(Error error) {
		return error.failed_checks()
			.map((failed) -> failed.stream().anyMatch(CapabilityVerifier::isExpiryCheck))
			.getOrElse(false);
	}

	private static boolean isExpiryCheck(FailedCheck failed) {
		return failed instanceof FailedCheck.FailedBlock block && block.rule.contains("time(");
	}

}
