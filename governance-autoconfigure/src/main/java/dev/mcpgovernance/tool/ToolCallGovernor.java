package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.redaction.ToolResultRedactor;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * The decision around every tool call, whatever library produced the tool: no verified caller, an
 * ungoverned tool (unless allowed), a missing scope or a reached rate limit ends the call before the
 * handler runs; a failure becomes a {@link ToolError}; a successful result is redacted (and otherwise
 * passes through unchanged).
 */
public class ToolCallGovernor {

	private final GovernedToolRegistry registry;

	private final ToolErrorClassifier classifier;

	private final Exposure exposure;

	private final ToolCallLimiter limiter;

	private final ToolResultRedactor resultRedactor;

	/**
	 * @param limiter the per-tool rate limits and budget; {@link ToolCallLimiter#NONE} for none
	 * @param redactor what removes sensitive data from successful results; {@code null} when
	 * redaction is off
	 */
	public ToolCallGovernor(GovernedToolRegistry registry, ToolErrorClassifier classifier, Exposure exposure,
			ToolCallLimiter limiter, Redactor redactor) {
		this.registry = registry;
		this.classifier = classifier;
		this.exposure = exposure;
		this.limiter = limiter;
		this.resultRedactor = (redactor != null) ? new ToolResultRedactor(redactor) : null;
	}

	/**
	 * @param tool the tool being called, with its input schema
	 * @param arguments the caller's arguments
	 * @param caller the verified caller from the transport context, or {@code null} when none reached it
	 * @param handler the tool's own handler
	 */
	public CallToolResult call(Tool tool, Map<String, Object> arguments, CallerIdentity caller,
			Supplier<CallToolResult> handler) {
		String toolName = tool.name();
		String requestId = UUID.randomUUID().toString();
		ToolPolicy policy = this.registry.find(toolName).orElse(null);
		ToolError refusal = refusal(toolName, policy, caller);
		if (refusal == null) {
			// Counted before the argument check: a loop sending bad arguments still spends its budget.
			refusal = this.limiter.check(toolName, policy, caller);
		}
		if (refusal == null) {
			refusal = ArgumentCheck.check(tool.inputSchema(), arguments);
		}
		if (refusal != null) {
			return ToolErrorResults.toResult(refusal);
		}
		GovernedCall call = new GovernedCall(caller, toolName, requestId);
		CallToolResult result;
		try {
			result = GovernanceContext.within(call, handler);
		}
		catch (RuntimeException | Error failure) {
			call.recordError(this.classifier.classify(failure, toolName, requestId));
			result = null;
		}
		if (call.error() != null) {
			return ToolErrorResults.toResult(call.error());
		}
		if (result == null || Boolean.TRUE.equals(result.isError())) {
			// An error result that did not pass through the aspect carries text we cannot vouch for.
			return ToolErrorResults.toResult(ToolErrorClassifier.internalError(requestId));
		}
		return redact(policy, result);
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
