package dev.mcpgovernance.tool;

/**
 * Ends a tool call with a given {@link ToolError}. Handlers may throw it for a deliberate error;
 * the governance aspect also throws it after classifying any other failure. It carries no cause,
 * so nothing of the original failure can travel further than this.
 */
public class ToolErrorException extends RuntimeException {

	private final ToolError error;

	public ToolErrorException(ToolError error) {
		super(error.code().wireName() + ": " + error.message(), null, false, false);
		this.error = error;
	}

	public ToolError error() {
		return this.error;
	}

}
