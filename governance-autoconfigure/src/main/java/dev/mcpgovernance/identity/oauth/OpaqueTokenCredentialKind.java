package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * OAuth access tokens that are not JWTs, as {@code Authorization: Bearer <token>}, introspected at the
 * trusted issuers' introspection endpoints (RFC 7662). It shares the header with the other kinds by
 * shape: {@code sk_…} is an API key, a token that parses as a JWT is {@link JwtCredentialKind}'s, and
 * every other bearer token is this kind's. Like a JWT, the token travels in the transport context for
 * RFC 8693 exchange, and its callers can step up.
 */
public class OpaqueTokenCredentialKind extends AccessTokenCredentialKind {

	/** After JWTs. */
	public static final int ORDER = 400;

	private final OpaqueTokenAuthenticator authenticator;

	public OpaqueTokenCredentialKind(OpaqueTokenAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public String name() {
		return "oauth-opaque";
	}

	@Override
	public String presentedCredential(HttpServletRequest request) {
		String token = bearerTokenOtherThanApiKey(request);
		return (token != null && !JwtCredentialKind.isJwt(token)) ? token : null;
	}

	@Override
	public AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential);
	}

	@Override
	public List<String> authorizationServers() {
		return this.authenticator.issuers();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
