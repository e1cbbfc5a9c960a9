package dev.mcpgovernance.security;

import java.io.IOException;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.identity.VerifiedCaller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The gate of the MCP endpoints: a request goes on only with a caller verified by MCP Governance,
 * whatever authorization rules the surrounding chain has. The verified caller is left on the request
 * as a {@link VerifiedCaller}, with what its credential's kind adds to the MCP transport context.
 */
class CallerRequiredFilter extends GovernedRequestFilter {

	private final RequestMatcher mcpEndpoints;

	private final AuthenticationEntryPoint entryPoint;

	public CallerRequiredFilter(RequestMatcher mcpEndpoints, AuthenticationEntryPoint entryPoint) {
		this.mcpEndpoints = mcpEndpoints;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
		if (!(authentication instanceof GovernanceAuthentication governed)) {
			this.entryPoint.commence(request, response,
					new InsufficientAuthenticationException("No verified MCP caller"));
			return;
		}
		new VerifiedCaller(governed.getPrincipal(), governed.transportContext()).attachTo(request);
		chain.doFilter(request, response);
	}

}
