package dev.mcpgovernance.tool;

import dev.mcpgovernance.scope.Scope;

/**
 * What governance knows about one tool.
 *
 * @param toolName the MCP tool name
 * @param requiredScope the scope a caller must hold
 * @param audit whether calls are audited
 * @param declaredBy where the policy comes from, for start-up messages (e.g. {@code OrderTools#cancel})
 * @param rateLimit the per-caller limit text of {@link GovernedTool#rateLimit()}; empty for none
 * @param globalRateLimit the all-callers limit text of {@link GovernedTool#globalRateLimit()}; empty for none
 */
public record ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy, String rateLimit,
		String globalRateLimit) {

	public ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy) {
		this(toolName, requiredScope, audit, declaredBy, "", "");
	}

}
