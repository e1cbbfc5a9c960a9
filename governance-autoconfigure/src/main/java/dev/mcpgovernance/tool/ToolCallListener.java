package dev.mcpgovernance.tool;

/**
 * Told of every finished tool call, allowed or refused, on the thread that ran it. The audit trail
 * and the metrics are listeners. A listener must be quick and must not throw; the governor logs and
 * ignores what one throws, so a broken listener never fails a call.
 */
@FunctionalInterface
public interface ToolCallListener {

	void onToolCall(ToolCallEvent event);

}
