package dev.mcpgovernance.tool;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.redaction.ToolResultRedactor;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The decision around every tool call, whatever library produced the tool: no verified caller, an
 * ungoverned tool (unless allowed), a missing scope or a reached rate limit ends the call before the
 * handler runs; a failure becomes a {@link ToolError}; a successful result is redacted (and otherwise
 * passes through unchanged). Every call, however it ends, is then reported to the
 * {@link ToolCallListener}s (the audit trail, the metrics).
 */
public class ToolCallGovernor {

	private static final Log logger = LogFactory.getLog(ToolCallGovernor.class);

	private final GovernedToolRegistry registry;

	private final ToolErrorClassifier classifier;

	private final Exposure exposure;

	private final ToolCallLimiter limiter;

	private final ToolResultRedactor resultRedactor;

	private final List<ToolCallListener> listeners;

	public ToolCallGovernor(GovernedToolRegistry registry, ToolErrorClassifier classifier, Exposure exposure,
			ToolCallLimiter limiter, Redactor redactor) {
		this(registry, classifier, exposure, limiter, redactor, List.of());
	}

	/**
	 * @param limiter the per-tool rate limits and budget; {@link ToolCallLimiter#NONE} for none
	 * @param redactor what removes sensitive data from successful results; {@code null} when
	 * redaction is off
	 * @param listeners told of every finished call, in this order
	 */
	public ToolCallGovernor(GovernedToolRegistry registry, ToolErrorClassifier classifier, Exposure exposure,
			ToolCallLimiter limiter, Redactor redactor, List<ToolCallListener> listeners) {
		this.registry = registry;
		this.classifier = classifier;
		this.exposure = exposure;
		this.limiter = limiter;
		this.resultRedactor = (redactor != null) ? new ToolResultRedactor(redactor) : null;
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * @param tool the tool being called, with its input schema
	 * @param arguments the caller's arguments
	 * @param caller the verified caller from the transport context, or {@code null} when none reached it
	 * @param handler the tool's own handler
	 */
	public CallToolResult call(Tool tool, Map<String, Object> arguments, CallerIdentity caller,
			Supplier<CallToolResult> handler) {
		long startNanos = System.nanoTime();
		Instant startedAt = Instant.now();
		String toolName = tool.name();
		String requestId = UUID.randomUUID().toString();
		ToolPolicy policy = this.registry.find(toolName).orElse(null);
		GovernedCall call = new GovernedCall(caller, toolName, requestId);
		ToolError error = decide(tool, arguments, caller, policy, call, handler);
		CallToolResult result = (error != null) ? ToolErrorResults.toResult(error) : redact(policy, call.result());
		if (!this.listeners.isEmpty()) {
			long latencyMicros = (System.nanoTime() - startNanos) / 1_000;
			CallOutcome outcome = (error != null) ? CallOutcome.of(error.code()) : CallOutcome.OK;
			ToolErrorCode errorCode = (error != null) ? error.code() : null;
			notifyListeners(new ToolCallEvent(requestId, startedAt, toolName, policy, caller, outcome, errorCode,
					call.dataSource(), call.cacheHit(), latencyMicros, arguments));
		}
		return result;
	}

	/** Runs the checks and, when they pass, the handler; returns the error the caller gets, if any. */
	private ToolError decide(Tool tool, Map<String, Object> arguments, CallerIdentity caller, ToolPolicy policy,
			GovernedCall call, Supplier<CallToolResult> handler) {
		String toolName = tool.name();
		ToolError refusal = refusal(toolName, policy, caller);
		if (refusal == null) {
			// Counted before the argument check: a loop sending bad arguments still spends its budget.
			refusal = this.limiter.check(toolName, policy, caller);
		}
		if (refusal == null) {
			refusal = ArgumentCheck.check(tool.inputSchema(), arguments);
		}
		if (refusal != null) {
			return refusal;
		}
		CallToolResult result;
		try {
			result = GovernanceContext.within(call, handler);
		}
		catch (RuntimeException | Error failure) {
			call.recordError(this.classifier.classify(failure, toolName, call.requestId(),
					(policy != null) ? policy.sourceUnavailable() : List.of()));
			result = null;
		}
		if (call.error() != null) {
			return call.error();
		}
		if (result == null || Boolean.TRUE.equals(result.isError())) {
			// An error result that did not pass through the aspect carries text we cannot vouch for.
			return ToolErrorClassifier.internalError(call.requestId());
		}
		call.recordResult(result);
		return null;
	}

	private void notifyListeners(ToolCallEvent event) {
		for (ToolCallListener listener : this.listeners) {
			try {
				listener.onToolCall(event);
			}
			catch (RuntimeException ex) {
				// A broken listener must not fail the call; the type is enough to find it, the message may hold data.
				logger.warn("Tool-call listener " + listener.getClass().getName() + " failed with "
						+ ex.getClass().getName() + " (request " + event.requestId() + ")");
			}
		}
	}

	private CallToolResult redact(ToolPolicy policy, CallToolResult result) {
		if (this.resultRedactor == null) {
			return result;
		}
		List<String> toolKeys = (policy != null) ? policy.redactKeys() : List.of();
		return this.resultRedactor.redact(result, toolKeys);
	}

	private ToolError refusal(String toolName, ToolPolicy policy, CallerIdentity caller) {
		if (caller == null) {
			return ToolError.of(ToolErrorCode.UNAUTHENTICATED, "No verified caller identity reached this tool call.");
		}
		if (policy == null) {
			if (this.exposure == Exposure.ALLOW_UNGOVERNED) {
				return null;
			}
			return new ToolError(ToolErrorCode.FORBIDDEN,
					"Tool '" + toolName + "' is not governed, and this server refuses ungoverned tools.",
					Map.of("tool", toolName));
		}
		if (!caller.holds(policy.requiredScope())) {
			return ToolError.missingScope(toolName, policy.requiredScope());
		}
		return null;
	}

}
