package dev.mcpgovernance.tool;

import java.util.Optional;

/**
 * Tools the starter adds itself whose calls are governed by the code that adds them rather than by a
 * {@link GovernedTool} policy: progressive discovery's meta-tools need a verified caller, and
 * {@code execute_tool} runs the real tool's own checks. The lint and the start-up report ask these
 * beans before they call a tool without a policy ungoverned.
 */
@FunctionalInterface
public interface SelfGovernedTools {

	/** How calls of the tool are governed, in a few words for the report; empty when it is not one of these. */
	Optional<String> governance(String toolName);

}
