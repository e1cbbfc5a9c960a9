package dev.mcpgovernance.security;

import java.io.IOException;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
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
 * What every credential filter of the MCP endpoints does with the credential it recognises: a
 * refused one ends the request with 401 {@code invalid_token} at once; an accepted one becomes the
 * request's {@link GovernanceAuthentication}. A request without such a credential, or already
 * verified by an earlier filter, passes on untouched.
 */
abstract class CredentialAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER_PREFIX = "Bearer ";

	private final RequestMatcher mcpEndpoints;

	private final AuthenticationEntryPoint entryPoint;

	private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextRepository contextRepository = new RequestAttributeSecurityContextRepository();

	CredentialAuthenticationFilter(RequestMatcher mcpEndpoints, AuthenticationEntryPoint entryPoint) {
		this.mcpEndpoints = mcpEndpoints;
		this.entryPoint = entryPoint;
	}

	/** The credential of this filter's kind, or {@code null} when the request carries none. */
	protected abstract String presentedCredential(HttpServletRequest request);

	protected abstract AuthenticationOutcome authenticate(String credential);

	/** The token of an {@code Authorization: Bearer …} header, trimmed, or {@code null}. */
	protected static String bearerToken(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null
				|| !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return null;
		}
		return authorization.substring(BEARER_PREFIX.length()).trim();
	}

	/**
	 * @param caller the verified caller
	 * @param credential the credential that verified it, for an authentication that must carry it on
	 */
	protected abstract GovernanceAuthentication toAuthentication(CallerIdentity caller, String credential);

	/**
	 * A reason to refuse the request before its credential is even checked, or {@code null}: a request
	 * with more than one credential (two {@code Authorization} or {@code X-API-Key} headers, or
	 * different credentials in the two) is refused, because picking one of them silently would let a
	 * caller choose whose scopes a request runs with.
	 */
	protected String refusalBeforeAuthentication(HttpServletRequest request) {
		if (count(request, HttpHeaders.AUTHORIZATION) > 1 || count(request, ApiKeyAuthenticationFilter.API_KEY_HEADER) > 1) {
			return "Send one credential: this request has more than one Authorization or X-API-Key header.";
		}
		String apiKey = request.getHeader(ApiKeyAuthenticationFilter.API_KEY_HEADER);
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (apiKey != null && authorization != null && !apiKey.trim().equals(bearerToken(request))) {
			return "Send one credential: this request carries different ones in Authorization and X-API-Key.";
		}
		return null;
	}

	static int count(HttpServletRequest request, String header) {
		int count = 0;
		for (var values = request.getHeaders(header); values.hasMoreElements(); values.nextElement()) {
			count++;
		}
		return count;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean alreadyVerified = this.contextHolder.getContext().getAuthentication() instanceof GovernanceAuthentication;
		String credential = (!alreadyVerified && this.mcpEndpoints.matches(request)) ? presentedCredential(request) : null;
		if (credential == null) {
			chain.doFilter(request, response);
			return;
		}
		String refusal = refusalBeforeAuthentication(request);
		AuthenticationOutcome outcome = (refusal != null) ? new AuthenticationOutcome.Rejected(refusal)
				: authenticate(credential);
		if (outcome instanceof AuthenticationOutcome.Rejected rejected) {
			this.contextHolder.clearContext();
			this.entryPoint.commence(request, response, new InvalidCredentialsException(rejected.reason()));
			return;
		}
		SecurityContext context = this.contextHolder.createEmptyContext();
		context.setAuthentication(toAuthentication(((AuthenticationOutcome.Authenticated) outcome).identity(), credential));
		this.contextHolder.setContext(context);
		// Kept on the request so that the async dispatch of a streamed response sees the same caller.
		this.contextRepository.saveContext(context, request, response);
		chain.doFilter(request, response);
	}

}
