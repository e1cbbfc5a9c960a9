package dev.mcpgovernance.identity.oauth;

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

	public OpaqueTokenCredentialKind(OpaqueTokenAuthenticator authenticator) {
		super("oauth-opaque", ORDER, authenticator);
	}

	@Override
	public String presentedCredential(HttpServletRequest request) {
		String token = bearerTokenOtherThanApiKey(request);
		return (token != null && !JwtCredentialKind.isJwt(token)) ? token : null;
	}

}
