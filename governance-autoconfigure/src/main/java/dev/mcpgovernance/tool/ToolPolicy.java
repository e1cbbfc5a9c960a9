package dev.mcpgovernance.tool;

import java.util.List;

import dev.mcpgovernance.scope.Scope;

/**
 * What governance knows about one tool.
 *
 * @param toolName the MCP tool name
 * @param requiredScope the scope a caller must hold
 * @param audit whether calls are audited
 * @param declaredBy where the policy comes from, for start-up messages (e.g. {@code OrderTools#cancel})
 * @param redactKeys key globs redacted from this tool's results on top of the configured ones
 */
public record ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy,
		List<String> redactKeys) {

	public ToolPolicy {
		redactKeys = List.copyOf(redactKeys);
	}

}
