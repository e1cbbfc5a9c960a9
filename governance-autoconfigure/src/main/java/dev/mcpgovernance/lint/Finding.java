package dev.mcpgovernance.lint;

/**
 * A warning about the governance of this server: what the start-up report lists and what makes
 * the lint fail.
 *
 * @param kind what is wrong
 * @param tool the tool (or resource URI template, or prompt name) concerned; {@code null} for a
 * server-wide finding
 * @param message what is wrong and what to do, without any secret
 */
public record Finding(Kind kind, String tool, String message) {

	/** The kinds of findings. */
	public enum Kind {

		/** A tool without {@code @GovernedTool}, hence without a scope. */
		UNGOVERNED_TOOL,

		/** A resource or resource template without {@code @GovernedResource} or a configured scope. */
		UNGOVERNED_RESOURCE,

		/** A prompt without {@code @GovernedPrompt} or a configured scope. */
		UNGOVERNED_PROMPT,

		/** A tool that may change data (by its MCP hints or its action) whose scope's action is not a write action. */
		DESTRUCTIVE_WITHOUT_WRITE_ACTION,

		/** An HTTP server listening beyond loopback with neither API keys nor OAuth configured. */
		REMOTE_BIND_WITHOUT_AUTH,

		/** A STDIO server without a verified caller: every governed tool would refuse its calls. */
		STDIO_WITHOUT_IDENTITY,

		/** An HTTP server bound to loopback with no credential kind configured: it refuses every call. */
		NO_AUTHENTICATION

	}

	@Override
	public String toString() {
		return "[" + this.kind + "] " + ((this.tool != null) ? this.tool + ": " : "") + this.message;
	}

}
