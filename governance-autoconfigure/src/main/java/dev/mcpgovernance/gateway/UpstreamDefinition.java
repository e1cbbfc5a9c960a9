package dev.mcpgovernance.gateway;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;

/**
 * One upstream MCP server: where it is, which of its tools are exposed and with which scope, and
 * how requests authenticate to it. Checked when it is made, so a bad upstream stops start-up (or is
 * refused by the admin API) with a message that names it.
 *
 * @param domain the scope domain of its tools, also its name
 * @param url the MCP endpoint
 * @param transport streamable HTTP or SSE
 * @param description what its tools are for; may be {@code null}
 * @param allowedTools globs of the tools to expose; all when empty
 * @param deniedTools globs of the tools never to expose; deny wins
 * @param scopes required scopes by tool-name glob, in the order they are tried
 * @param callAuth the credential of tool calls (a service credential or token exchange)
 * @param serviceAuth the credential of what no caller makes (initialize, tools/list)
 * @param resources which resources and resource templates are exposed, with which scope
 * @param prompts which prompts are exposed, with which scope
 */
public record UpstreamDefinition(String domain, URI url, Transport transport, String description,
		List<String> allowedTools, List<String> deniedTools, Map<String, Scope> scopes, DownstreamAuth callAuth,
		DownstreamAuth serviceAuth, UpstreamFeatureRules resources, UpstreamFeatureRules prompts) {

	private static final Pattern SCOPE_PART = Pattern.compile("[^a-z0-9_.-]");

	/** The MCP transports an upstream can speak. */
	public enum Transport {

		/** Streamable HTTP: one endpoint, e.g. {@code /mcp}. */
		STREAMABLE,

		/** The legacy HTTP+SSE transport: the SSE endpoint, e.g. {@code /sse}. */
		SSE

	}

	public UpstreamDefinition {
		allowedTools = List.copyOf(allowedTools);
		deniedTools = List.copyOf(deniedTools);
		// In order: the first matching glob wins.
		scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
		resources = (resources != null) ? resources : UpstreamFeatureRules.ALL;
		prompts = (prompts != null) ? prompts : UpstreamFeatureRules.ALL;
	}

	/**
	 * @param scopeTexts scope overrides by tool-name glob: {@code resource:action} in the upstream's
	 * domain, or {@code domain:resource:action}
	 * @throws GovernanceConfigurationException naming the upstream and what is wrong
	 */
	public static UpstreamDefinition of(String domain, URI url, Transport transport, String description,
			List<String> allowedTools, List<String> deniedTools, Map<String, String> scopeTexts,
			DownstreamAuth callAuth, DownstreamAuth serviceAuth) {
		try {
			Scope.required(domain, "tool", "call");
		}
		catch (MalformedScopeException ex) {
			throw new GovernanceConfigurationException(
					"Upstream '" + domain + "' is not a valid scope domain: " + ex.reason() + ".",
					"Name the upstream with a lower-case word such as crm: it is the domain of its tools' scopes.");
		}
		if (url == null || url.getScheme() == null || url.getHost() == null
				|| !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
			throw new GovernanceConfigurationException("Upstream '" + domain + "' has no absolute http(s) url.",
					"Set mcp.governance.gateway.upstreams." + domain + ".url to its MCP endpoint, e.g. http://crm:8080/mcp.");
		}
		Map<String, Scope> scopes = scopes(domain, scopeTexts, "tools");
		return new UpstreamDefinition(domain, url, (transport != null) ? transport : Transport.STREAMABLE,
				description, allowedTools, deniedTools, scopes, callAuth, serviceAuth, UpstreamFeatureRules.ALL,
				UpstreamFeatureRules.ALL);
	}

	/**
	 * This upstream with rules for its resources and prompts (by default all are exposed, each under
	 * {@code <domain>:<name>:read}).
	 * @param resourceScopes scope overrides by URI, URI-template or resource-name glob
	 * @param promptScopes scope overrides by prompt-name glob
	 * @throws GovernanceConfigurationException naming the upstream and the malformed scope
	 */
	public UpstreamDefinition withFeatures(List<String> allowedResources, List<String> deniedResources,
			Map<String, String> resourceScopes, List<String> allowedPrompts, List<String> deniedPrompts,
			Map<String, String> promptScopes) {
		return new UpstreamDefinition(this.domain, this.url, this.transport, this.description, this.allowedTools,
				this.deniedTools, this.scopes, this.callAuth, this.serviceAuth,
				new UpstreamFeatureRules(allowedResources, deniedResources, scopes(this.domain, resourceScopes, "resources")),
				new UpstreamFeatureRules(allowedPrompts, deniedPrompts, scopes(this.domain, promptScopes, "prompts")));
	}

	/**
	 * The scope a resource or template requires: the first matching override, else
	 * {@code <domain>:<name>:read} (reading is what a resource offers).
	 */
	Scope resourceScope(String uri, String name) {
		Scope override = this.resources.override(uri, name);
		return (override != null) ? override : Scope.required(this.domain, resourceOf((name != null) ? name : uri), "read");
	}

	/** The scope a prompt requires: the first matching override, else {@code <domain>:<name>:read}. */
	Scope promptScope(String name) {
		Scope override = this.prompts.override(name);
		return (override != null) ? override : Scope.required(this.domain, resourceOf(name), "read");
	}

	/** The name of the upstream's data adapter: its circuit breaker, retry and time limit. */
	String adapterName() {
		return "upstream-" + this.domain;
	}

	/**
	 * Whether a tool may be exposed. Both names are matched, so renaming a tool on a collision cannot
	 * slip it past a deny, and denies ignore case, so neither can an upstream that capitalizes a name
	 * (allows stay exact: ignoring case there would widen them).
	 */
	boolean exposes(String originalName, String prefixedName) {
		for (String glob : this.deniedTools) {
			if (Globs.matchesIgnoringCase(glob, originalName) || Globs.matchesIgnoringCase(glob, prefixedName)) {
				return false;
			}
		}
		if (this.allowedTools.isEmpty()) {
			return true;
		}
		return this.allowedTools.stream()
			.anyMatch((glob) -> Globs.matches(glob, originalName) || Globs.matches(glob, prefixedName));
	}

	/** The scope a tool requires: the first matching override, else {@code <domain>:<tool>:call}. */
	Scope requiredScope(String originalName, String exposedName) {
		return this.scopes.entrySet()
			.stream()
			.filter((entry) -> Globs.matches(entry.getKey(), originalName) || Globs.matches(entry.getKey(), exposedName))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElseGet(() -> Scope.required(this.domain, resourceOf(originalName), "call"));
	}

	/** A tool name in the scope grammar: lower case, other characters as {@code _}, at most 63 long. */
	static String resourceOf(String toolName) {
		String resource = SCOPE_PART.matcher(toolName.toLowerCase(Locale.ROOT)).replaceAll("_");
		if (resource.isEmpty() || !Character.isLetter(resource.charAt(0))) {
			resource = "t" + resource;
		}
		return (resource.length() > 63) ? resource.substring(0, 63) : resource;
	}

	private static Map<String, Scope> scopes(String domain, Map<String, String> texts, String what) {
		Map<String, Scope> scopes = new LinkedHashMap<>();
		texts.forEach((glob, text) -> scopes.put(glob, scope(domain, glob, text, what)));
		return scopes;
	}

	private static Scope scope(String domain, String glob, String text, String what) {
		String[] parts = (text != null) ? text.split(":", -1) : new String[0];
		try {
			if (parts.length == 2) {
				return Scope.required(domain, parts[0], parts[1]);
			}
			if (parts.length == 3) {
				return Scope.required(parts[0], parts[1], parts[2]);
			}
		}
		catch (MalformedScopeException ex) {
			// Reported below, with the upstream and the glob.
		}
		throw new GovernanceConfigurationException(
				"Upstream '" + domain + "' declares the malformed scope '" + text + "' for " + what + " '" + glob + "'.",
				"Use resource:action or domain:resource:action with lower-case words and no wildcard, e.g. ticket:write.");
	}

}
