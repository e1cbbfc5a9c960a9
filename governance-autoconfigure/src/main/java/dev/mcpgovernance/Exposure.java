package dev.mcpgovernance;

/** What happens to a tool that carries no {@code @GovernedTool}. */
public enum Exposure {

	/** Refuse it to every caller (the default): a tool nobody classified is a tool nobody approved. */
	DENY_UNGOVERNED,

	/** Let any authenticated caller run it, with errors still normalized. */
	ALLOW_UNGOVERNED

}
