package dev.mcpgovernance.identity.apikey;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.HttpCredentials;
import dev.mcpgovernance.identity.Transport;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * API keys over HTTP, as {@code X-API-Key: sk_…} or {@code Authorization: Bearer sk_…}. Other bearer
 * tokens belong to the OAuth kinds. Accepted on the admin API too.
 */
public class ApiKeyCredentialKind implements CredentialKind, Ordered {

	/** After capability tokens, ahead of OAuth access tokens. */
	public static final int ORDER = 200;

	private final ApiKeyAuthenticator authenticator;

	public ApiKeyCredentialKind(ApiKeyAuthenticator authenticator) {
		this.authenticator = authenticator;
	}

	@Override
	public String name() {
		return "api-key";
	}

	@Override
	public String presentedCredential(HttpServletRequest request) {
		String header = request.getHeader(HttpCredentials.API_KEY_HEADER);
		if (header != null) {
			return header.trim();
		}
		String token = HttpCredentials.bearerToken(request);
		return (token != null && token.startsWith(ApiKeyGenerator.PREFIX)) ? token : null;
	}

	@Override
	public String refusalBeforeAuthentication(HttpServletRequest request) {
		return HttpCredentials.moreThanOneCredential(request);
	}

	@Override
	public AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential, Transport.HTTP);
	}

	@Override
	public boolean acceptedOnAdminApi() {
		return true;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
