package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.http.JsonRpcMessages;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.resource.ResourceStepUp;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The MCP authorization spec's scope step-up: a {@code tools/call} by a caller that can step up (an
 * OAuth access token's; see {@link dev.mcpgovernance.identity.CredentialKind#canStepUp()}) and lacks the
 * governed tool's scope is answered with HTTP 403 and an {@code insufficient_scope} challenge naming
 * the required scope together with those already granted, so that one re-authorization suffices.
 * So is a {@code resources/read}, {@code resources/subscribe}, {@code prompts/get} or
 * {@code completion/complete} of a governed resource or prompt ({@link ResourceStepUp}).
 * Every other case goes on to the MCP server, where the checks there decide (API-key callers,
 * who cannot step up, get the {@code forbidden} error there).
 */
class ScopeStepUpFilter extends GovernedRequestFilter {

	private final RequestMatcher mcpEndpoints;

	private final GovernedToolRegistry registry;

	private final ProtectedResourceMetadata metadata;

	private final RefusedToolCallReporter refusals;

	private final ResourceStepUp resources;

	/**
	 * @param refusals told of each step-up refusal, for the audit trail; may be {@code null}
	 * @param resources what a resource or prompt request requires (and audits its refusal);
	 * {@code null} when they are not governed
	 */
	public ScopeStepUpFilter(RequestMatcher mcpEndpoints, GovernedToolRegistry registry,
			ProtectedResourceMetadata metadata, RefusedToolCallReporter refusals, ResourceStepUp resources) {
		this.mcpEndpoints = mcpEndpoints;
		this.registry = registry;
		this.metadata = metadata;
		this.refusals = refusals;
		this.resources = resources;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
		// Read by JsonRpcRequestFilter; absent for anything that is not a checked JSON-RPC POST.
		Object message = request.getAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE);
		if (!(authentication instanceof GovernanceAuthentication oauth) || !oauth.canStepUp()
				|| !(message instanceof JsonNode rpc)
				|| !this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		String method = rpc.path("method").asString("");
		if (this.resources != null && this.resources.governs(method)) {
			ResourceStepUp.Required required = this.resources.required(rpc, oauth.getPrincipal());
			if (required == null) {
				chain.doFilter(request, response);
				return;
			}
			challenge(request, response, oauth.getPrincipal(), required.scope(), required.label());
			return;
		}
		if (!"tools/call".equals(method)) {
			chain.doFilter(request, response);
			return;
		}
		String toolName = rpc.path("params").path("name").asString("");
		ToolPolicy policy = this.registry.find(toolName).orElse(null);
		CallerIdentity caller = oauth.getPrincipal();
		if (policy == null || caller.holds(policy.requiredScope())) {
			chain.doFilter(request, response);
			return;
		}
		if (this.refusals != null) {
			this.refusals.report(request, caller, ToolErrorCode.FORBIDDEN);
		}
		challenge(request, response, caller, policy.requiredScope(), "Tool '" + toolName + "'");
	}

	private void challenge(HttpServletRequest request, HttpServletResponse response, CallerIdentity caller,
			Scope required, String label) throws IOException {
		Set<String> scopes = new LinkedHashSet<>();
		scopes.add(required.toString());
		scopes.addAll(caller.scopes().asStrings().stream().sorted().toList());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\""
				+ String.join(" ", scopes) + "\", resource_metadata=\"" + this.metadata.metadataUrl(request) + "\"");
		JsonResponses.writeError(response, HttpStatus.FORBIDDEN.value(), "forbidden", label + " requires scope '"
				+ required + "'; re-authorize with the scopes in WWW-Authenticate.");
	}

}
