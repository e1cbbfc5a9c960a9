package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates MCP requests that carry an API key, as {@code X-API-Key: sk_…} or
 * {@code Authorization: Bearer sk_…}. A refused key ends the request with 401 at once; a request
 * without a key passes on unauthenticated (another mechanism may know it, or it will be refused).
 */
public class ApiKeyAuthenticationFilter extends CredentialAuthenticationFilter {

	public static final String API_KEY_HEADER = "X-API-Key";

	private final ApiKeyAuthenticator authenticator;

	public ApiKeyAuthenticationFilter(RequestMatcher mcpEndpoints, ApiKeyAuthenticator authenticator,
			AuthenticationEntryPoint entryPoint) {
		super(mcpEndpoints, entryPoint);
		this.authenticator = authenticator;
	}

	@Override
	protected String presentedCredential(HttpServletRequest request) {
		String header = request.getHeader(API_KEY_HEADER);
		if (header != null) {
			return header.trim();
		}
		String token = bearerToken(request);
		// Other bearer tokens (JWTs) belong to another authentication mechanism.
		return (token != null && token.startsWith(ApiKeyGenerator.PREFIX)) ? token : null;
	}

	@Override
	protected AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential, Transport.HTTP);
	}

	@Override
	protected GovernanceAuthentication toAuthentication(CallerIdentity caller, String credential) {
		return new GovernanceAuthentication(caller);
	}

}
