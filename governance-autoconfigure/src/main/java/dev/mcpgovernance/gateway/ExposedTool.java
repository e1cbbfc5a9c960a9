package dev.mcpgovernance.gateway;

import dev.mcpgovernance.scope.Scope;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * One upstream tool as this server exposes it.
 *
 * @param domain the upstream's domain
 * @param originalName the tool's name on the upstream
 * @param tool the tool as this server lists it, under the name it has here
 * @param scope the scope a caller needs to call it
 */
record ExposedTool(String domain, String originalName, McpSchema.Tool tool, Scope scope) {

	/** The tool's name on this server. */
	String name() {
		return this.tool.name();
	}

}
