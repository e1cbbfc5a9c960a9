package dev.mcpgovernance.tool;

import dev.mcpgovernance.scope.Scope;

/**
 * What governance knows about one tool.
 *
 * @param toolName the MCP tool name
 * @param requiredScope the scope a caller must hold
 * @param audit whether calls are audited
 * @param declaredBy where the policy comes from, for start-up messages (e.g. {@code OrderTools#cancel})
 */
public record ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy) {
}
