package dev.mcpgovernance.identity.oauth;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.HttpCredentials;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * What the two kinds of OAuth access token share: both come as {@code Authorization: Bearer}, travel
 * in the transport context so that a connector can exchange them (RFC 8693), are accepted on the
 * admin API, and their callers can step up. They differ in which bearer tokens they claim and in how
 * their authenticator verifies one.
 */
abstract class AccessTokenCredentialKind implements CredentialKind, Ordered {

	private final String name;

	private final int order;

	private final AccessTokenAuthenticator authenticator;

	AccessTokenCredentialKind(String name, int order, AccessTokenAuthenticator authenticator) {
		this.name = name;
		this.order = order;
		this.authenticator = authenticator;
	}

	/** The bearer token of the request, unless there is none or it is an API key ({@code sk_…}). */
	static String bearerTokenOtherThanApiKey(HttpServletRequest request) {
		String token = HttpCredentials.bearerToken(request);
		if (token == null || token.isEmpty() || token.startsWith(ApiKeyGenerator.PREFIX)) {
			return null;
		}
		return token;
	}

	@Override
	public String refusalBeforeAuthentication(HttpServletRequest request) {
		return HttpCredentials.moreThanOneCredential(request);
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
	public String name() {
		return this.name;
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
		return this.order;
	}

}
