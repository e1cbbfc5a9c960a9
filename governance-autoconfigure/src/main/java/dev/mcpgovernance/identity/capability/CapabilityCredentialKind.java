package dev.mcpgovernance.identity.capability;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.HttpCredentials;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * Capability tokens: in {@value CapabilityAuthenticator#HEADER} over HTTP, in
 * {@code _meta.}{@value CapabilityAuthenticator#META_KEY} on STDIO. A request that also carries
 * another credential is refused as ambiguous: which rights it meant to use is not ours to guess, and
 * a narrowed token must never be silently replaced by a broader key. Its callers cannot step up, and
 * the admin API does not accept it.
 */
public class CapabilityCredentialKind implements CredentialKind, Ordered {

	/** First: its refusal of any second credential is the one a caller sees. */
	public static final int ORDER = 100;

	private final CapabilityAuthenticator authenticator;

	public CapabilityCredentialKind(CapabilityAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public String name() {
		return "capability";
	}

	@Override
	public String presentedCredential(HttpServletRequest request) {
		String header = request.getHeader(CapabilityAuthenticator.HEADER);
		return (header != null) ? header.trim() : null;
	}

	@Override
	public String refusalBeforeAuthentication(HttpServletRequest request) {
		if (HttpCredentials.count(request, CapabilityAuthenticator.HEADER) > 1) {
			return "Send one credential: this request has more than one capability token.";
		}
		if (HttpCredentials.hasAuthorizationOrApiKey(request)) {
			return "Send either a capability token or another credential, not both.";
		}
		return null;
	}

	@Override
	public AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential);
	}

	@Override
	public String metaKey() {
		return CapabilityAuthenticator.META_KEY;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
