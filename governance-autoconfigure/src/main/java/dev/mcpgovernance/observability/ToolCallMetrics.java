package dev.mcpgovernance.observability;

import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.UnknownToolName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Counters of the calls that did not succeed, for alerts that need no query over the timer:
 * {@code mcp.governance.tool.denials} (unauthenticated or forbidden),
 * {@code mcp.governance.tool.rate-limited} and {@code mcp.governance.tool.errors} (every other
 * error code). Tags: tool, domain and, but for rate limits, error_code. The same numbers are the
 * counts of the {@code mcp.governance.tool.calls} timer by its {@code outcome} tag. A tool the server
 * does not have is tagged {@code tool=unknown}.
 */
class ToolCallMetrics implements ToolCallListener {

	private final MeterRegistry registry;

	public ToolCallMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onToolCall(ToolCallEvent event) {
		// Nothing to count for a call that succeeded: its tags are not even built (most calls succeed).
		if (event.outcome() == CallOutcome.OK) {
			return;
		}
		String domain = (event.policy() != null) ? event.policy().requiredScope().domain() : "none";
		// A name the server does not have is recorded by its shape; one tag value keeps callers from minting series.
		String tool = UnknownToolName.isShape(event.toolName()) ? "unknown" : event.toolName();
		Tags tags = Tags.of("tool", tool, "domain", domain);
		switch (event.outcome()) {
			case OK -> {
			}
			case DENIED -> count("mcp.governance.tool.denials", "Tool calls refused for identity or scope",
					tags.and("error_code", event.errorCode().wireName()));
			case RATE_LIMITED -> count("mcp.governance.tool.rate-limited", "Tool calls refused by a rate limit or budget",
					tags);
			case INVALID_INPUT, SOURCE_UNAVAILABLE, ERROR -> count("mcp.governance.tool.errors",
					"Tool calls that failed", tags.and("error_code", event.errorCode().wireName()));
		}
	}

	private void count(String name, String description, Tags tags) {
		Counter.builder(name).description(description).tags(tags).register(this.registry).increment();
	}

}
