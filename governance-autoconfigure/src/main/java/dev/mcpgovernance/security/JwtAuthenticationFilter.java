package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.JwtAuthenticator;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates MCP requests that carry an OAuth access token as {@code Authorization: Bearer <jwt>}.
 * A refused token ends the request with 401 {@code invalid_token} at once. API keys ({@code sk_…})
 * and requests already authenticated by one are left alone; the token itself is never logged,
 * kept or passed on.
 */
public class JwtAuthenticationFilter extends CredentialAuthenticationFilter {

	private final JwtAuthenticator authenticator;

	public JwtAuthenticationFilter(RequestMatcher mcpEndpoints, JwtAuthenticator authenticator,
			AuthenticationEntryPoint entryPoint) {
		super(mcpEndpoints, entryPoint);
		this.authenticator = authenticator;
	}

	@Override
	protected String presentedCredential(HttpServletRequest request) {
		String token = bearerToken(request);
		return (token == null || token.isEmpty() || token.startsWith(ApiKeyGenerator.PREFIX)) ? null : token;
	}

	@Override
	protected AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential);
	}

	@Override
	protected GovernanceAuthentication toAuthentication(CallerIdentity caller) {
		return new AccessTokenAuthentication(caller);
	}

}
