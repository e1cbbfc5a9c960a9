package dev.mcpgovernance.tool;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Delegation;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.redaction.ToolResultRedactor;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * The decision around every tool call, whatever library produced the tool: no verified caller, an
 * ungoverned tool (unless allowed), a missing scope or a reached rate limit ends the call before the
 * handler runs; a failure becomes a {@link ToolError}; a successful result is redacted (and otherwise
 * passes through unchanged). The application's {@link ToolExecutionHook}s run inside these checks:
 * after them and before the handler, after the handler and before redaction, and on every error.
 * Every call, however it ends, is then reported to the {@link ToolCallListener}s (the audit trail,
 * the metrics).
 */
public class ToolCallGovernor {

	private final GovernedToolRegistry registry;

	private final ToolErrorClassifier classifier;

	private final Exposure exposure;

	private final ToolCallLimiter limiter;

	private final ToolResultRedactor resultRedactor;

	private final ToolCallListeners listeners;

	private final ToolCallObserver observer;

	private final ExecutionHooks hooks;

	/**
	 * @param limiter the per-tool rate limits and budget; {@link ToolCallLimiter#NONE} for none
	 * @param redactor what removes sensitive data from successful results; {@code null} when
	 * redaction is off
	 * @param listeners told of every finished call, in this order
	 * @param observer what observes each call from receipt to the end (metrics, tracing)
	 * @param hooks the application's execution hooks, applied in this order
	 */
	public ToolCallGovernor(GovernedToolRegistry registry, ToolErrorClassifier classifier, Exposure exposure,
			ToolCallLimiter limiter, Redactor redactor, List<ToolCallListener> listeners, ToolCallObserver observer,
			List<ToolExecutionHook> hooks) {
		this.registry = registry;
		this.classifier = classifier;
		this.exposure = exposure;
		this.limiter = limiter;
		this.resultRedactor = (redactor != null) ? new ToolResultRedactor(redactor) : null;
		this.listeners = new ToolCallListeners(listeners);
		this.observer = observer;
		this.hooks = new ExecutionHooks(hooks);
	}

	/**
	 * @param tool the tool being called, with its input schema
	 * @param arguments the caller's arguments
	 * @param caller the verified caller from the transport context, or {@code null} when none reached it
	 * @param handler the tool's own handler
	 */
	public CallToolResult call(Tool tool, Map<String, Object> arguments, CallerIdentity caller,
			Supplier<CallToolResult> handler) {
		return govern(tool, arguments, (caller != null) ? new AuthenticationOutcome.Authenticated(caller) : null, handler);
	}

	/**
	 * Like {@link #call}, for a call whose credential may have been refused.
	 * @param tool the tool being called, with its input schema
	 * @param arguments the caller's arguments
	 * @param authentication the verified caller, the refusal of a credential the request carried
	 * (its reason is shown to the caller), or {@code null} when no credential reached the call
	 * @param handler the tool's own handler
	 */
	public CallToolResult govern(Tool tool, Map<String, Object> arguments, AuthenticationOutcome authentication,
			Supplier<CallToolResult> handler) {
		CallerIdentity caller = (authentication instanceof AuthenticationOutcome.Authenticated authenticated)
				? authenticated.identity() : null;
		long startNanos = System.nanoTime();
		Instant startedAt = Instant.now();
		String toolName = tool.name();
		String requestId = UUID.randomUUID().toString();
		ToolPolicy policy = this.registry.find(toolName).orElse(null);
		// Started before the checks, so that the handler's own spans nest inside the call's.
		ToolCallObserver.ObservedCall observed = this.observer.start(toolName, policy);
		ToolCallEvent event = null;
		try {
			GovernedCall call = new GovernedCall(caller, toolName, requestId);
			// Only hooks read the invocation; without them its copy of the arguments is not made.
			ToolInvocation invocation = this.hooks.none() ? null
					: new ToolInvocation(toolName, policy, caller, arguments, call.outboundHeaders());
			ToolError error = (authentication instanceof AuthenticationOutcome.Rejected rejected)
					? ToolError.of(ToolErrorCode.UNAUTHENTICATED, rejected.reason())
					: decide(tool, arguments, caller, policy, invocation, call, handler);
			if (error != null) {
				this.hooks.onError(invocation, error, requestId);
			}
			CallToolResult result = (error != null) ? ToolErrorResults.toResult(error)
					: redact(policy, call.result());
			long latencyMicros = (System.nanoTime() - startNanos) / 1_000;
			CallOutcome outcome = (error != null) ? CallOutcome.of(error.code()) : CallOutcome.OK;
			ToolErrorCode errorCode = (error != null) ? error.code() : null;
			event = new ToolCallEvent(requestId, startedAt, toolName, policy, caller, outcome, errorCode,
					call.dataSource(), call.cacheHit(), latencyMicros, arguments, observed.traceId(), observed.spanId());
			this.listeners.tell(event);
			return result;
		}
		finally {
			observed.stop(event);
		}
	}

	/**
	 * Tells the listeners (the audit trail, the metrics) of a tool call answered without reaching a
	 * governed handler: a tool the server does not have (the MCP SDK answers it, or
	 * {@code execute_tool} does), or a call too malformed to dispatch. Recorded like a refusal at the
	 * HTTP level: no latency, the policy of {@code toolName} if it has one.
	 * @param toolName the tool's name when the server has it; otherwise its shape
	 * ({@link UnknownToolName#of}), never the text the caller sent
	 * @param code the error the caller gets
	 * @param arguments the caller's arguments, reduced to their shape by the audit trail
	 */
	public void report(String toolName, CallerIdentity caller, ToolErrorCode code, Map<String, Object> arguments) {
		ToolPolicy policy = UnknownToolName.isShape(toolName) ? null : this.registry.find(toolName).orElse(null);
		this.listeners.tell(new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), toolName, policy, caller,
				CallOutcome.of(code), code, null, false, 0, arguments));
	}

	/**
	 * Tells the listeners of a call of a tool the caller may not call that was answered as if the tool
	 * did not exist ({@code execute_tool} hides such tools): recorded as the same call sent directly
	 * would be refused ({@code forbidden} or {@code unauthenticated}, with the tool's policy), so the
	 * trail shows the attempt whichever way it came.
	 */
	public void reportHidden(String toolName, CallerIdentity caller, Map<String, Object> arguments) {
		ToolError refusal = refusal(toolName, this.registry.find(toolName).orElse(null), caller);
		report(toolName, caller, (refusal != null) ? refusal.code() : ToolErrorCode.FORBIDDEN, arguments);
	}

	/**
	 * Whether the caller may call the tool at all: a verified caller holding the tool's scope (or any
	 * verified caller for an ungoverned tool the server allows). Rate limits and arguments aside; this
	 * is what decides which tools a caller is shown.
	 */
	public boolean permits(String toolName, CallerIdentity caller) {
		return refusal(toolName, this.registry.find(toolName).orElse(null), caller) == null;
	}

	/**
	 * Runs the checks and, when they pass, the handler; returns the error the caller gets, if any.
	 * @param invocation what the hooks see; {@code null} when there are none
	 */
	private ToolError decide(Tool tool, Map<String, Object> arguments, CallerIdentity caller, ToolPolicy policy,
			ToolInvocation invocation, GovernedCall call, Supplier<CallToolResult> handler) {
		String toolName = tool.name();
		ToolError refusal = refusal(toolName, policy, caller);
		if (refusal == null) {
			// Counted before the argument check: a loop sending bad arguments still spends its budget.
			refusal = this.limiter.check(toolName, policy, caller);
		}
		if (refusal == null) {
			refusal = ArgumentCheck.check(tool.inputSchema(), arguments);
		}
		if (refusal == null) {
			refusal = this.hooks.beforeExecute(invocation, call.requestId(),
					(message) -> new ToolError(ToolErrorCode.FORBIDDEN, message, Map.of("tool", toolName)));
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
		// An error result from a hook carries text that did not come through the ToolError envelope.
		ExecutionHooks.After<CallToolResult> after = this.hooks.after(invocation, result,
				ToolExecutionHook::afterExecute, (transformed) -> !Boolean.TRUE.equals(transformed.isError()),
				"afterExecute", call.requestId());
		if (after.error() == null) {
			call.recordResult(after.result());
		}
		return after.error();
	}

	/**
	 * The tools of a listing that the hooks leave {@code caller}. A hook may only remove tools, so its
	 * answer is intersected with what it was given; a hook that throws leaves nothing (fail closed).
	 */
	public List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
		return this.hooks.afterList(tools, (hook, visible) -> hook.afterList(caller, visible), Tool::name, "afterList");
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
				return delegationRefusal(toolName, null, caller);
			}
			return new ToolError(ToolErrorCode.FORBIDDEN,
					"Tool '" + toolName + "' is not governed, and this server refuses ungoverned tools.",
					Map.of("tool", toolName));
		}
		if (!caller.holds(policy.requiredScope())) {
			return ToolError.missingScope(toolName, policy.requiredScope());
		}
		return delegationRefusal(toolName, policy, caller);
	}

	/** A delegated credential (a capability token) may allow less than its scopes: every block must agree. */
	private static ToolError delegationRefusal(String toolName, ToolPolicy policy, CallerIdentity caller) {
		Delegation delegation = caller.delegation();
		if (delegation == null) {
			return null;
		}
		boolean permitted;
		try {
			permitted = delegation.permits(toolName, (policy != null) ? policy.requiredScope() : null);
		}
		catch (RuntimeException ex) {
			// Fail closed: a check that cannot be evaluated does not pass.
			permitted = false;
		}
		if (permitted) {
			return null;
		}
		return new ToolError(ToolErrorCode.FORBIDDEN,
				"The caller's capability token does not allow tool '" + toolName + "' (restricted by the token itself).",
				Map.of("tool", toolName));
	}

}
