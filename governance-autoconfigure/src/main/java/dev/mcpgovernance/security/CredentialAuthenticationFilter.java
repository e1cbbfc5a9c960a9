package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.List;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CredentialKind;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates MCP requests with the {@link CredentialKind}s, in their order: the kind whose credential
 * the request carries verifies it. A refused credential ends the request with 401 {@code invalid_token}
 * at once, and so does a request that carries credentials of more than one kind; an accepted one
 * becomes the request's {@link GovernanceAuthentication}. A request without a credential, or already
 * verified, passes on untouched (the caller gate decides).
 */
final class CredentialAuthenticationFilter extends GovernedRequestFilter {

	private final RequestMatcher mcpEndpoints;

	private final List<CredentialKind> kinds;

	private final AuthenticationEntryPoint entryPoint;

	private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextRepository contextRepository = new RequestAttributeSecurityContextRepository();

	CredentialAuthenticationFilter(RequestMatcher mcpEndpoints, List<CredentialKind> kinds,
			AuthenticationEntryPoint entryPoint) {
		this.mcpEndpoints = mcpEndpoints;
		this.kinds = List.copyOf(kinds);
		this.entryPoint = entryPoint;
	}

	/** The kinds this filter asks, in order. */
	List<CredentialKind> kinds() {
		return this.kinds;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.contextHolder.getContext().getAuthentication() instanceof GovernanceAuthentication
				|| !this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		CredentialKind kind = null;
		String credential = null;
		boolean moreThanOneKind = false;
		for (CredentialKind candidate : this.kinds) {
			String presented = candidate.presentedCredential(request);
			if (presented == null) {
				continue;
			}
			if (kind != null) {
				moreThanOneKind = true;
				break;
			}
			kind = candidate;
			credential = presented;
		}
		if (kind == null) {
			chain.doFilter(request, response);
			return;
		}
		String refusal = kind.refusalBeforeAuthentication(request);
		if (refusal == null && moreThanOneKind) {
			refusal = "Send one credential: this request carries credentials of more than one kind.";
		}
		AuthenticationOutcome outcome = (refusal != null) ? new AuthenticationOutcome.Rejected(refusal)
				: kind.authenticate(credential);
		if (!(outcome instanceof AuthenticationOutcome.Authenticated authenticated)) {
			this.contextHolder.clearContext();
			this.entryPoint.commence(request, response,
					new InvalidCredentialsException(((AuthenticationOutcome.Rejected) outcome).reason()));
			return;
		}
		SecurityContext context = this.contextHolder.createEmptyContext();
		context.setAuthentication(new GovernanceAuthentication(authenticated.identity(), kind.canStepUp(),
				kind.transportContext(credential)));
		this.contextHolder.setContext(context);
		// Kept on the request so that the async dispatch of a streamed response sees the same caller.
		this.contextRepository.saveContext(context, request, response);
		chain.doFilter(request, response);
	}

}
