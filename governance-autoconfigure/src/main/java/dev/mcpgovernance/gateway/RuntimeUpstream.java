package dev.mcpgovernance.gateway;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An upstream added through the admin API, as it is stored and shared by every replica. It holds no
 * secret: its credential is the name of one declared in
 * {@code mcp.governance.gateway.credentials.<name>}.
 *
 * @param domain the scope domain of its tools, also its name and key
 * @param url the MCP endpoint, without user info or query
 * @param transport streamable HTTP or SSE
 * @param description what its tools are for; may be {@code null}
 * @param allowedTools globs of the tools to expose; all when empty
 * @param deniedTools globs of the tools never to expose; deny wins
 * @param scopes scope overrides by tool-name glob, in the order they are tried
 * @param credential the name of a declared credential; {@code null} for none
 * @param createdAt when it was added
 * @param createdByKey the key id of the caller who added it
 * @param createdByOwner the owner id of the caller who added it
 * @param resources which of its resources and resource templates are exposed, with which scope
 * @param prompts which of its prompts are exposed, with which scope
 */
public record RuntimeUpstream(String domain, URI url, UpstreamDefinition.Transport transport, String description,
		List<String> allowedTools, List<String> deniedTools, Map<String, String> scopes, String credential,
		Instant createdAt, String createdByKey, String createdByOwner, Rules resources, Rules prompts) {

	public RuntimeUpstream {
		allowedTools = List.copyOf(allowedTools);
		deniedTools = List.copyOf(deniedTools);
		// Kept in order: the first matching glob wins.
		scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
		resources = (resources != null) ? resources : Rules.ALL;
		prompts = (prompts != null) ? prompts : Rules.ALL;
	}

	/**
	 * An upstream that exposes every resource and prompt under its default scope: the constructor
	 * from before resources and prompts had rules, kept for stores written against it.
	 */
	public RuntimeUpstream(String domain, URI url, UpstreamDefinition.Transport transport, String description,
			List<String> allowedTools, List<String> deniedTools, Map<String, String> scopes, String credential,
			Instant createdAt, String createdByKey, String createdByOwner) {
		this(domain, url, transport, description, allowedTools, deniedTools, scopes, credential, createdAt,
				createdByKey, createdByOwner, Rules.ALL, Rules.ALL);
	}

	/**
	 * Which of an upstream's resources (matched by URI, URI template or name) or prompts (by name)
	 * are exposed, as stored: the same globs and overrides as a configured upstream's.
	 * @param allowed globs of what to expose; all when empty
	 * @param denied globs of what never to expose; deny wins
	 * @param scopes scope overrides ({@code resource:action}) by glob, in the order they are tried
	 */
	public record Rules(List<String> allowed, List<String> denied, Map<String, String> scopes) {

		/** Everything exposed, each under its default scope. */
		public static final Rules ALL = new Rules(List.of(), List.of(), Map.of());

		public Rules {
			allowed = List.copyOf(allowed);
			denied = List.copyOf(denied);
			scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
		}

	}

}
