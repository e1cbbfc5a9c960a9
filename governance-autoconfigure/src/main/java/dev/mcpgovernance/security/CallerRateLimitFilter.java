package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.Map;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.VerifiedCaller;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.ratelimit.CallerRateLimits;
import dev.mcpgovernance.ratelimit.CallerRateLimits.Admission;
import dev.mcpgovernance.ratelimit.RateLimitDecision;
import dev.mcpgovernance.tool.ToolErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The per-caller limit of the MCP endpoints, after the verified-caller gate and before the request
 * is checked or dispatched: every POST (one JSON-RPC message) counts, whatever its body; a refused
 * one gets HTTP 429 with {@code Retry-After}. GET (the server-to-client event stream) and DELETE (end
 * of session) are not counted: they carry no call, and a client opens one stream per session.
 * <p>
 * The body is read here (bounded, once, {@link JsonRpcBody}) so that a {@code tools/call} of a
 * governed tool takes its buckets in the same check ({@link CallerRateLimits#admit}): one round trip
 * to a Redis store per call instead of two. The tool's decision waits for the call's limit step
 * after its scope check; when the request ends without that step, its buckets are given back.
 */
class CallerRateLimitFilter extends GovernedRequestFilter {

	private final RequestMatcher mcpEndpoints;

	private final CallerRateLimits limits;

	private final RefusedToolCallReporter refusals;

	private final long maxBytes;

	/**
	 * @param refusals told of a refused {@code tools/call}, for the audit trail; may be {@code null}
	 * @param maxBytes the largest body read, as for {@link JsonRpcRequestFilter}
	 */
	public CallerRateLimitFilter(RequestMatcher mcpEndpoints, CallerRateLimits limits,
			RefusedToolCallReporter refusals, long maxBytes) {
		this.mcpEndpoints = mcpEndpoints;
		this.limits = limits;
		this.refusals = refusals;
		this.maxBytes = maxBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!HttpMethod.POST.matches(request.getMethod()) || !this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		CallerIdentity identity = VerifiedCaller.identityOf(request);
		if (identity == null) {
			// The verified-caller gate runs first; without a caller nothing here may pass.
			response.sendError(HttpStatus.UNAUTHORIZED.value());
			return;
		}
		String toolCallName = JsonRpcBody.of(request, this.maxBytes).toolCallName();
		RateLimitDecision decision;
		try (Admission admission = this.limits.admit(identity, toolCallName)) {
			decision = admission.decision();
			if (decision.allowed()) {
				chain.doFilter(request, response);
				return;
			}
		}
		if (this.refusals != null) {
			this.refusals.report(request, identity, ToolErrorCode.RATE_LIMITED);
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
		JsonResponses.writeError(response, HttpStatus.TOO_MANY_REQUESTS.value(), "rate_limited",
				"Too many requests for this caller; retry after " + decision.retryAfterSeconds() + " s.",
				Map.of("retry_after_s", decision.retryAfterSeconds()));
	}

}
