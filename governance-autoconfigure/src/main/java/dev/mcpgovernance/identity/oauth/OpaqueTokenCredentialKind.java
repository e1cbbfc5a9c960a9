package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.HttpCredentials;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * OAuth access tokens that are not JWTs, as {@code Authorization: Bearer <token>}, introspected at the
 * trusted issuers' introspection endpoints (RFC 7662). It shares the header with the other kinds by
 * shape: {@code sk_…} is an API key, a token that parses as a JWT is {@link JwtCredentialKind}'s, and
 * every other bearer token is this kind's. Like a JWT, the token travels in the transport context for
 * RFC 8693 exchange, and its callers can step up.
 */
public class OpaqueTokenCredentialKind implements CredentialKind, Ordered {

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
		String token = HttpCredentials.bearerToken(request);
		if (token == null || token.isEmpty() || token.startsWith(ApiKeyGenerator.PREFIX)
				|| JwtCredentialKind.isJwt(token)) {
			return null;
		}
		return token;
	}

	@Override
	public String refusalBeforeAuthentication(HttpServletRequest request) {
		return HttpCredentials.moreThanOneCredential(request);
	}

	@Override
	public AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential);
	}

	@Override
	public Map<String, Object> transportContext(String credential) {
		return Map.of(InboundAccessToken.CONTEXT_KEY, new InboundAccessToken(credential));
	}

	@Override
	public boolean canStepUp() {
		return true;
	}

	@Override
	public boolean acceptedOnAdminApi() {
		return true;
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
