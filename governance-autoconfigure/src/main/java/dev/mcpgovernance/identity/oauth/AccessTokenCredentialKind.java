package dev.mcpgovernance.identity.oauth;

import java.util.Map;

import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.HttpCredentials;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * What the two kinds of OAuth access token share: both come as {@code Authorization: Bearer}, travel
 * in the transport context so that a connector can exchange them (RFC 8693), are accepted on the
 * admin API, and their callers can step up.
 */
abstract class AccessTokenCredentialKind implements CredentialKind, Ordered {

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

}
