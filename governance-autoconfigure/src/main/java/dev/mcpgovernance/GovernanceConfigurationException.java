package dev.mcpgovernance;

/**
 * A configuration that MCP Governance refuses to start with. It says what is wrong and what to
 * set instead; {@code GovernanceConfigurationFailureAnalyzer} prints both.
 */
public class GovernanceConfigurationException extends RuntimeException {

	private final String action;

	public GovernanceConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/** What the user should do about it. */
	public String getAction() {
		return this.action;
	}

}
