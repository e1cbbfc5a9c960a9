package dev.mcpgovernance.observability;

import dev.mcpgovernance.tool.ToolCallEvent;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * Observation {@code mcp.governance.tool.calls} (the timer's name), span {@code tools/call <tool>}.
 * Its tags have low cardinality by construction: the tool (one of the server's own), the domain
 * of its scope, the outcome and the error code. Who called is never a tag; the request id, which
 * the audit record carries too, is a span attribute only.
 */
public class DefaultToolCallObservationConvention implements ToolCallObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "mcp.governance.tool.calls";

	private static final String NONE = "none";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ToolCallObservationContext context) {
		return "tools/call " + context.getToolName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ToolCallObservationContext context) {
		String domain = (context.getPolicy() != null) ? context.getPolicy().requiredScope().domain() : NONE;
		if (!context.isFinished()) {
			// Read at the start for the long task timer of running calls, whose outcome is not known yet.
			return KeyValues.of(KeyValue.of("tool", context.getToolName()), KeyValue.of("domain", domain));
		}
		ToolCallEvent event = context.getEvent();
		String outcome = (event != null) ? event.outcome().wireName() : "error";
		String errorCode = (event != null && event.errorCode() != null) ? event.errorCode().wireName()
				: (event != null) ? NONE : "internal_error";
		return KeyValues.of(KeyValue.of("tool", context.getToolName()), KeyValue.of("domain", domain),
				KeyValue.of("outcome", outcome), KeyValue.of("error_code", errorCode));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ToolCallObservationContext context) {
		ToolCallEvent event = context.getEvent();
		return (event != null) ? KeyValues.of("mcp.governance.request_id", event.requestId()) : KeyValues.empty();
	}

}
