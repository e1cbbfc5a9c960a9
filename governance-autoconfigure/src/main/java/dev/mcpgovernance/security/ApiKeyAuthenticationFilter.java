package dev.mcpgovernance.security;

import java.io.IOException;

import dev.mcpgovernance.identity.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.Transport;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates MCP requests that carry an API key, as {@code X-API-Key: sk_…} or
 * {@code Authorization: Bearer sk_…}. A refused key ends the request with 401 at once; a request
 * without a key passes on unauthenticated (another mechanism may know it, or it will be refused).
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	public static final String API_KEY_HEADER = "X-API-Key";

	private static final String BEARER_PREFIX = "Bearer ";

	private final RequestMatcher mcpEndpoints;

	private final ApiKeyAuthenticator authenticator;

	private final AuthenticationEntryPoint entryPoint;

	private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextRepository contextRepository = new RequestAttributeSecurityContextRepository();

	public ApiKeyAuthenticationFilter(RequestMatcher mcpEndpoints, ApiKeyAuthenticator authenticator,
			AuthenticationEntryPoint entryPoint) {
		this.mcpEndpoints = mcpEndpoints;
		this.authenticator = authenticator;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = this.mcpEndpoints.matches(request) ? presentedKey(request) : null;
		if (presented == null) {
			chain.doFilter(request, response);
			return;
		}
		AuthenticationOutcome outcome = this.authenticator.authenticate(presented, Transport.HTTP);
		if (outcome instanceof AuthenticationOutcome.Rejected rejected) {
			this.contextHolder.clearContext();
			this.entryPoint.commence(request, response, new InvalidCredentialsException(rejected.reason()));
			return;
		}
		AuthenticationOutcome.Authenticated authenticated = (AuthenticationOutcome.Authenticated) outcome;
		SecurityContext context = this.contextHolder.createEmptyContext();
		context.setAuthentication(new GovernanceAuthentication(authenticated.identity()));
		this.contextHolder.setContext(context);
		// Kept on the request so that the async dispatch of a streamed response sees the same caller.
		this.contextRepository.saveContext(context, request, response);
		chain.doFilter(request, response);
	}

	private static String presentedKey(HttpServletRequest request) {
		String header = request.getHeader(API_KEY_HEADER);
		if (header != null) {
			return header.trim();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			String token = authorization.substring(BEARER_PREFIX.length()).trim();
			// Other bearer tokens (JWTs) belong to another authentication mechanism.
			return token.startsWith(ApiKeyGenerator.PREFIX) ? token : null;
		}
		return null;
	}

}
