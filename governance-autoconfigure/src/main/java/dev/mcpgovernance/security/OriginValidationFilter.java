package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.List;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.http.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Refuses MCP requests whose {@code Origin} is not allowed, before anything else runs: a web page
 * on another origin must not reach a local MCP server through the user's browser (DNS rebinding).
 * Matching uses Spring's CORS origin patterns.
 */
class OriginValidationFilter extends GovernedRequestFilter {

	private final RequestMatcher mcpEndpoints;

	private final CorsConfiguration allowed = new CorsConfiguration();

	public OriginValidationFilter(RequestMatcher mcpEndpoints, List<String> allowedOriginPatterns) {
		this.mcpEndpoints = mcpEndpoints;
		this.allowed.setAllowedOriginPatterns(allowedOriginPatterns);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && this.mcpEndpoints.matches(request) && this.allowed.checkOrigin(origin) == null) {
			JsonResponses.writeError(response, HttpStatus.FORBIDDEN.value(), "forbidden",
					"Origin not allowed; add it to mcp.governance.allowed-origins if it is yours.");
			return;
		}
		chain.doFilter(request, response);
	}

}
