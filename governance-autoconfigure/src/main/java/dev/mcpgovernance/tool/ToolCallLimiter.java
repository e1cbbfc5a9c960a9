package dev.mcpgovernance.tool;

import dev.mcpgovernance.identity.CallerIdentity;

/**
 * A limit on tool calls that the {@link ToolCallGovernor} consults after the scope check and before
 * the handler; the rate-limit package provides one.
 */
@FunctionalInterface
public interface ToolCallLimiter {

	/** No limits. */
	ToolCallLimiter NONE = (toolName, policy, caller) -> null;

	/**
	 * Counts one call of a tool by a verified caller.
	 * @param toolName the tool
	 * @param policy its governance policy; {@code null} for an ungoverned tool the server allows
	 * @param caller the verified caller
	 * @return the refusal, or {@code null} when the call may go on
	 */
	ToolError check(String toolName, ToolPolicy policy, CallerIdentity caller);

}
