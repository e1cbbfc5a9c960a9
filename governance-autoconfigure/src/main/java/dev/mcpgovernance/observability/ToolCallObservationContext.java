package dev.mcpgovernance.observability;

import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolPolicy;
import io.micrometer.observation.Observation;

/** What an observation of one tool call knows: the tool when it starts, the finished call when it stops. */
public class ToolCallObservationContext extends Observation.Context {

	private final String toolName;

	private final ToolPolicy policy;

	private ToolCallEvent event;

	private boolean finished;

	/** @param policy the tool's policy; {@code null} for an ungoverned tool */
	public ToolCallObservationContext(String toolName, ToolPolicy policy) {
		this.toolName = toolName;
		this.policy = policy;
	}

	public String getToolName() {
		return this.toolName;
	}

	public ToolPolicy getPolicy() {
		return this.policy;
	}

	/** The finished call; {@code null} until it ends, and when the governor itself failed. */
	public ToolCallEvent getEvent() {
		return this.event;
	}

	/** Whether the call has ended; while it runs, only what is known at its start describes it. */
	public boolean isFinished() {
		return this.finished;
	}

	void finish(ToolCallEvent event) {
		this.event = event;
		this.finished = true;
	}

}
