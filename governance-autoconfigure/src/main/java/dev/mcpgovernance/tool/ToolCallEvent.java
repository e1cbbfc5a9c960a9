package dev.mcpgovernance.tool;

import java.time.Instant;
import java.util.Map;

import dev.mcpgovernance.identity.CallerIdentity;

/**
 * One finished tool call, handed to every {@link ToolCallListener}: refused before the handler,
 * failed in it, or answered.
 *
 * @param requestId the call's id, as quoted in {@code internal_error} details
 * @param startedAt when the governor received the call
 * @param toolName the tool the caller asked for
 * @param policy its governance policy; {@code null} for an ungoverned tool or an unknown one
 * @param caller the verified caller; {@code null} when none reached the call
 * @param outcome how the call ended
 * @param errorCode the error the caller saw; {@code null} when the outcome is {@link CallOutcome#OK}
 * @param dataSource the data source that answered, when the handler recorded one
 * @param cacheHit whether a cache answered instead of the data source
 * @param latencyMicros time from receipt to the end of the call, in microseconds
 * @param arguments the caller's arguments, as received. <strong>Values, not shape:</strong> a listener
 *        must never store or log them; the audit layer keeps only their shape.
 * @param traceId the W3C trace id the call ran in (Micrometer Tracing), {@code null} without tracing
 * @param spanId the id of the call's span, {@code null} without tracing
 */
public record ToolCallEvent(String requestId, Instant startedAt, String toolName, ToolPolicy policy,
		CallerIdentity caller, CallOutcome outcome, ToolErrorCode errorCode, String dataSource, boolean cacheHit,
		long latencyMicros, Map<String, Object> arguments, String traceId, String spanId) {

	public ToolCallEvent {
		arguments = (arguments != null) ? arguments : Map.of();
	}

	/** An event outside any trace. */
	public ToolCallEvent(String requestId, Instant startedAt, String toolName, ToolPolicy policy,
			CallerIdentity caller, CallOutcome outcome, ToolErrorCode errorCode, String dataSource, boolean cacheHit,
			long latencyMicros, Map<String, Object> arguments) {
		this(requestId, startedAt, toolName, policy, caller, outcome, errorCode, dataSource, cacheHit, latencyMicros,
				arguments, null, null);
	}

}
