package dev.mcpgovernance.resource;

/**
 * The two kinds of server feature governed besides tools. A governed feature goes by a name of its
 * own in the audit trail, the metrics and the rate-limit buckets: the MCP method that reads it and
 * its key ({@code resources/read orders://{orderId}}, {@code prompts/get summarize_order}), which no
 * tool name can equal (a tool name holds no space).
 */
public enum GovernedKind {

	/** A fixed resource (keyed by its URI) or a resource template (keyed by its URI template). */
	RESOURCE("resources/read "),

	/** A prompt, keyed by its name. */
	PROMPT("prompts/get ");

	private final String prefix;

	GovernedKind(String prefix) {
		this.prefix = prefix;
	}

	/** The name a feature of this kind goes by in audit records, metrics and rate-limit buckets. */
	public String nameOf(String key) {
		return this.prefix + key;
	}

}
