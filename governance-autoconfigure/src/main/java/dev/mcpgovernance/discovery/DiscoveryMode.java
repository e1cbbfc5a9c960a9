package dev.mcpgovernance.discovery;

/** What {@code tools/list} shows a caller. */
public enum DiscoveryMode {

	/** Every tool the caller's scopes allow, with its full schema (the default). */
	DIRECT,

	/**
	 * Only the meta-tools {@code discover_tools}, {@code get_tool_schema} and {@code execute_tool}: an
	 * agent loads the schemas it needs instead of every schema of every tool.
	 */
	PROGRESSIVE

}
