package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.identity.JwtAuthenticator;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates MCP requests that carry an OAuth access token as {@code Authorization: Bearer <jwt>}.
 * A refused token ends the request with 401 {@code invalid_token} at once. API keys ({@code sk_…})
 * and requests already authenticated by one are left alone. The token itself is never logged or
 * passed on; it is kept for the request only, so that a connector can exchange it (RFC 8693) for a
 * downstream token of the same caller.
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
	protected GovernanceAuthentication toAuthentication(CallerIdentity caller, String credential) {
		return new AccessTokenAuthentication(caller, new InboundAccessToken(credential));
	}

}
