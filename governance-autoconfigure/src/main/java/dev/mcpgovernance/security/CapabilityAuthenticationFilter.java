package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CapabilityAuthenticator;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates MCP requests that carry a capability token in {@value CapabilityAuthenticator#HEADER}.
 * A request that also carries another credential (an {@code Authorization} header or an API key) is
 * refused as ambiguous: which rights it meant to use is not ours to guess, and a narrowed token must
 * never be silently replaced by a broader key. A capability caller cannot step up, so a call refused
 * for scope gets the {@code forbidden} tool error.
 */
public class CapabilityAuthenticationFilter extends CredentialAuthenticationFilter {

	private final CapabilityAuthenticator authenticator;

	public CapabilityAuthenticationFilter(RequestMatcher mcpEndpoints, CapabilityAuthenticator authenticator,
			AuthenticationEntryPoint entryPoint) {
		super(mcpEndpoints, entryPoint);
		this.authenticator = authenticator;
	}

	@Override
	protected String presentedCredential(HttpServletRequest request) {
		String header = request.getHeader(CapabilityAuthenticator.HEADER);
		return (header != null) ? header.trim() : null;
	}

	@Override
	protected String refusalBeforeAuthentication(HttpServletRequest request) {
		if (count(request, CapabilityAuthenticator.HEADER) > 1) {
			return "Send one credential: this request has more than one capability token.";
		}
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null
				|| request.getHeader(ApiKeyAuthenticationFilter.API_KEY_HEADER) != null) {
			return "Send either a capability token or another credential, not both.";
		}
		return null;
	}

	@Override
	protected AuthenticationOutcome authenticate(String credential) {
		return this.authenticator.authenticate(credential);
	}

	@Override
	protected GovernanceAuthentication toAuthentication(CallerIdentity caller, String credential) {
		return new GovernanceAuthentication(caller);
	}

}
