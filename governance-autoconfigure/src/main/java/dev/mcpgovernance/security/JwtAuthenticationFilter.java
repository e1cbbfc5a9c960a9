package dev.mcpgovernance.security;

import java.io.IOException;

import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.JwtAuthenticator;
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
 * Authenticates MCP requests that carry an OAuth access token as {@code Authorization: Bearer <jwt>}.
 * A refused token ends the request with 401 {@code invalid_token} at once. API keys ({@code sk_…})
 * and requests already authenticated by one are left alone; the token itself is never logged,
 * kept or passed on.
 */
public class JwtAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER_PREFIX = "Bearer ";

	private final RequestMatcher mcpEndpoints;

	private final JwtAuthenticator authenticator;

	private final AuthenticationEntryPoint entryPoint;

	private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextRepository contextRepository = new RequestAttributeSecurityContextRepository();

	public JwtAuthenticationFilter(RequestMatcher mcpEndpoints, JwtAuthenticator authenticator,
			AuthenticationEntryPoint entryPoint) {
		this.mcpEndpoints = mcpEndpoints;
		this.authenticator = authenticator;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean alreadyVerified = this.contextHolder.getContext().getAuthentication() instanceof GovernanceAuthentication;
		String token = (!alreadyVerified && this.mcpEndpoints.matches(request)) ? presentedToken(request) : null;
		if (token == null) {
			chain.doFilter(request, response);
			return;
		}
		AuthenticationOutcome outcome = this.authenticator.authenticate(token);
		if (outcome instanceof AuthenticationOutcome.Rejected rejected) {
			this.contextHolder.clearContext();
			this.entryPoint.commence(request, response, new InvalidCredentialsException(rejected.reason()));
			return;
		}
		AuthenticationOutcome.Authenticated authenticated = (AuthenticationOutcome.Authenticated) outcome;
		SecurityContext context = this.contextHolder.createEmptyContext();
		context.setAuthentication(new AccessTokenAuthentication(authenticated.identity()));
		this.contextHolder.setContext(context);
		// Kept on the request so that the async dispatch of a streamed response sees the same caller.
		this.contextRepository.saveContext(context, request, response);
		chain.doFilter(request, response);
	}

	private static String presentedToken(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null
				|| !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return null;
		}
		String token = authorization.substring(BEARER_PREFIX.length()).trim();
		return (token.isEmpty() || token.startsWith(ApiKeyGenerator.PREFIX)) ? null : token;
	}

}
