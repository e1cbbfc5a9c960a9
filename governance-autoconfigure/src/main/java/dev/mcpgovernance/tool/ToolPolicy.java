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
 * @param rateLimit the per-caller limit text of {@link GovernedTool#rateLimit()}; empty for none
 * @param globalRateLimit the all-callers limit text of {@link GovernedTool#globalRateLimit()}; empty for none
 * @param sourceUnavailable the tool's own exceptions that mean "every source is down", from
 *        {@link GovernedTool#sourceUnavailable()}
 */
public record ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy,
		List<String> redactKeys, String rateLimit, String globalRateLimit,
		List<Class<? extends Throwable>> sourceUnavailable) {

	public ToolPolicy {
		redactKeys = List.copyOf(redactKeys);
		sourceUnavailable = List.copyOf(sourceUnavailable);
	}

	/** A policy with no source-unavailable exceptions of the tool's own. */
	public ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy, List<String> redactKeys,
			String rateLimit, String globalRateLimit) {
		this(toolName, requiredScope, audit, declaredBy, redactKeys, rateLimit, globalRateLimit, List.of());
	}

	/** A policy with no extra redaction keys and no tool rate limits. */
	public ToolPolicy(String toolName, Scope requiredScope, boolean audit, String declaredBy) {
		this(toolName, requiredScope, audit, declaredBy, List.of(), "", "");
	}

}
