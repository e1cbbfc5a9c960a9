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
 */
public record RuntimeUpstream(String domain, URI url, UpstreamDefinition.Transport transport, String description,
		List<String> allowedTools, List<String> deniedTools, Map<String, String> scopes, String credential,
		Instant createdAt, String createdByKey, String createdByOwner) {

	public RuntimeUpstream {
		allowedTools = List.copyOf(allowedTools);
		deniedTools = List.copyOf(deniedTools);
		// Kept in order: the first matching glob wins.
		scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
	}

}
