package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.JwtAuthenticator;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates MCP requests that carry an OAuth access token as {@code Authorization: Bearer <jwt>}.
 * A refused token ends the request with 401 {@code invalid_token} at once. API keys ({@code sk_…})
 * and requests already authenticated by one are left alone; the token itself is never logged,
 * kept or passed on.
 */
public class JwtAuthenticationFilter extends CredentialAuthenticationFilter {

	private static final String BEARER_PREFIX = "Bearer ";

	private final JwtAuthenticator authenticator;

	public JwtAuthenticationFilter(RequestMatcher mcpEndpoints, JwtAuthenticator authenticator,
			AuthenticationEntryPoint entryPoint) {
		super(mcpEndpoints, entryPoint);
		this.authenticator = authenticator;
	}

	@Override
	protected String presentedCredential(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null
				|| !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return null;
		}
		String token = authorization.substring(BEARER_PREFIX.length()).trim();
		return (token.isEmpty() || token.startsWith(ApiKeyGenerator.PREFIX)) ? null : token;
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
