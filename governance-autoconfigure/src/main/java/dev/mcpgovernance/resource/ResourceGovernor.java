package dev.mcpgovernance.resource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Delegation;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.redaction.ResourceContentRedactor;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ExecutionHooks;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolCallListeners;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolExecutionHook;
import dev.mcpgovernance.tool.ToolInvocation;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;

/**
 * The decision around every resource read and prompt get, on the same path as a tool call: no
 * verified caller, an ungoverned resource or prompt (unless allowed), a missing scope, a refusing
 * delegation, a reached rate limit or budget, or a denying {@link ToolExecutionHook} ends the
 * request before the handler runs, with a JSON-RPC error ({@link ResourceErrors}); a handler failure
 * becomes one too; the hooks may transform the contents ({@code afterRead}, {@code afterGet}), which
 * are then redacted. Every request, however it ends, is reported to the
 * {@link ToolCallListener}s (audit, metrics) under the feature's governed name
 * ({@code resources/read orders://{orderId}}) with the shape of the URI's variables or the prompt's
 * arguments, and observed like a tool call. Subscriptions and completions are checked here too
 * ({@link #refusal}, {@link #report}); the transports' decorators ask before the SDK answers them.
 */
public class ResourceGovernor {

	private final GovernedResourceRegistry registry;

	private final ToolErrorClassifier classifier;

	private final Exposure exposure;

	private final ToolCallLimiter limiter;

	private final ResourceContentRedactor redactor;

	private final ToolCallListeners listeners;

	private final ToolCallObserver observer;

	private final ExecutionHooks hooks;

	/**
	 * @param limiter the rate limits and budget, shared with tools; {@link ToolCallLimiter#NONE} for none
	 * @param redactor what removes sensitive data from contents; {@code null} when redaction is off
	 * @param listeners told of every finished request, in this order
	 * @param hooks the application's execution hooks: {@code beforeExecute} may deny a read or get,
	 * {@code afterRead} and {@code afterGet} may transform its result, {@code onError} hears of every
	 * error; the list methods cut the lists ({@link CallerResourceView})
	 */
	public ResourceGovernor(GovernedResourceRegistry registry, ToolErrorClassifier classifier, Exposure exposure,
			ToolCallLimiter limiter, Redactor redactor, List<ToolCallListener> listeners, ToolCallObserver observer,
			List<ToolExecutionHook> hooks) {
		this.registry = registry;
		this.classifier = classifier;
		this.exposure = exposure;
		this.limiter = limiter;
		this.redactor = (redactor != null) ? new ResourceContentRedactor(redactor) : null;
		this.listeners = new ToolCallListeners(listeners);
		this.observer = observer;
		this.hooks = new ExecutionHooks(hooks);
	}

	public GovernedResourceRegistry registry() {
		return this.registry;
	}

	ExecutionHooks hooks() {
		return this.hooks;
	}

	/**
	 * Governs one {@code resources/read}.
	 * @param key the URI or URI template of the resource that serves the request
	 * @param uri the URI the caller asked for
	 * @throws io.modelcontextprotocol.spec.McpError when the read is refused or fails
	 */
	public ReadResourceResult read(String key, String uri, AuthenticationOutcome authentication,
			Supplier<ReadResourceResult> handler) {
		Map<String, Object> arguments = new LinkedHashMap<>(this.registry.variables(key, uri));
		return govern(GovernedKind.RESOURCE, key, arguments, authentication, handler, ToolExecutionHook::afterRead,
				(result, keys) -> (this.redactor != null) ? this.redactor.redact(result, keys) : result);
	}

	/**
	 * Governs one {@code prompts/get}.
	 * @throws io.modelcontextprotocol.spec.McpError when the get is refused or fails
	 */
	public GetPromptResult get(String name, Map<String, Object> arguments, AuthenticationOutcome authentication,
			Supplier<GetPromptResult> handler) {
		return govern(GovernedKind.PROMPT, name, arguments, authentication, handler, ToolExecutionHook::afterGet,
				(result, keys) -> (this.redactor != null) ? this.redactor.redact(result, keys) : result);
	}

	/**
	 * Whether the caller may read the resource or get the prompt at all: what decides what a caller
	 * is shown in the lists, and whether it may subscribe or complete. Rate limits aside.
	 */
	public boolean permits(GovernedKind kind, String key, CallerIdentity caller) {
		return refusal(kind, key, caller) == null;
	}

	/**
	 * Why the caller may not read the resource or get the prompt; {@code null} when it may.
	 * @param key the URI or URI template of a resource, the name of a prompt; {@code null} when the
	 * request names no governed one (refused unless ungoverned features are allowed)
	 */
	public ToolError refusal(GovernedKind kind, String key, CallerIdentity caller) {
		ToolPolicy policy = this.registry.find(kind, key).orElse(null);
		String label = label(kind, key);
		if (caller == null) {
			return ToolError.of(ToolErrorCode.UNAUTHENTICATED, "No verified caller identity reached this request.");
		}
		if (policy == null) {
			if (this.exposure == Exposure.ALLOW_UNGOVERNED) {
				return delegationRefusal(kind.nameOf(String.valueOf(key)), label, null, caller);
			}
			return ToolError.of(ToolErrorCode.FORBIDDEN,
					label + " is not governed, and this server refuses ungoverned resources and prompts.");
		}
		if (!caller.holds(policy.requiredScope())) {
			return new ToolError(ToolErrorCode.FORBIDDEN,
					label + " requires scope " + policy.requiredScope() + ", which the caller does not hold.",
					Map.of("required_scope", policy.requiredScope().toString()));
		}
		return delegationRefusal(policy.toolName(), label, policy, caller);
	}

	/**
	 * Governs one {@code completion/complete} that reached its handler (the transports' decorators
	 * refuse, and audit, one the caller may not make before the SDK dispatches it; checked again
	 * here all the same). Audited once the handler has answered, with the outcome it came to and the
	 * data source it named (a gateway's upstream); inside, the handler sees its caller, as a read's does.
	 * @param key the governed resource or prompt completed; {@code null} for none
	 * @param arguments what is audited of the request: the argument's shape
	 * @throws io.modelcontextprotocol.spec.McpError when the completion is refused or its handler fails
	 */
	public CompleteResult complete(GovernedKind kind, String key, Map<String, Object> arguments,
			AuthenticationOutcome authentication, Supplier<CompleteResult> handler) {
		CallerIdentity caller = (authentication instanceof AuthenticationOutcome.Authenticated authenticated)
				? authenticated.identity() : null;
		String requestId = UUID.randomUUID().toString();
		String name = (key != null) ? "completion/complete " + key : "completion/complete";
		ToolError error = (authentication instanceof AuthenticationOutcome.Rejected rejected)
				? ToolError.of(ToolErrorCode.UNAUTHENTICATED, rejected.reason()) : refusal(kind, key, caller);
		CompleteResult result = null;
		Answered answered = new Answered();
		if (error == null) {
			try {
				// Bound like a read's handler: the caller is known inside, the source it names is audited.
				result = GovernanceContext.handle(caller, requestId, Map.of(), handler, answered::record);
				if (result == null) {
					error = ToolErrorClassifier.internalError(requestId);
				}
			}
			catch (RuntimeException | Error failure) {
				error = this.classifier.classify(failure, name, requestId);
			}
		}
		tell(name, kind, key, caller, error, arguments, answered);
		if (error != null) {
			throw ResourceErrors.toMcpError(error);
		}
		return result;
	}

	/**
	 * Tells the listeners of a request answered without a governed handler: a subscription or a
	 * completion, allowed or refused.
	 * @param name what the request is recorded as, e.g. {@code resources/subscribe orders://{orderId}};
	 * never text the caller chose
	 * @param key the governed resource or prompt the request concerns; {@code null} for none
	 * @param error the refusal; {@code null} when the request was let through
	 * @param arguments the caller's arguments, reduced to their shape by the audit trail
	 */
	public void report(String name, GovernedKind kind, String key, CallerIdentity caller, ToolError error,
			Map<String, Object> arguments) {
		tell(name, kind, key, caller, error, arguments, new Answered());
	}

	private void tell(String name, GovernedKind kind, String key, CallerIdentity caller, ToolError error,
			Map<String, Object> arguments, Answered answered) {
		ToolPolicy policy = this.registry.find(kind, key).orElse(null);
		this.listeners.tell(new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), name, policy, caller,
				(error != null) ? CallOutcome.of(error.code()) : CallOutcome.OK, (error != null) ? error.code() : null,
				answered.dataSource, answered.cacheHit, 0, arguments));
	}

	private <T> T govern(GovernedKind kind, String key, Map<String, Object> arguments,
			AuthenticationOutcome authentication, Supplier<T> handler, ExecutionHooks.Step<T> after,
			BiFunction<T, List<String>, T> redact) {
		CallerIdentity caller = (authentication instanceof AuthenticationOutcome.Authenticated authenticated)
				? authenticated.identity() : null;
		long startNanos = System.nanoTime();
		Instant startedAt = Instant.now();
		String requestId = UUID.randomUUID().toString();
		ToolPolicy policy = this.registry.find(kind, key).orElse(null);
		String name = (policy != null) ? policy.toolName() : kind.nameOf(key);
		ToolCallObserver.ObservedCall observed = this.observer.start(name, policy);
		ToolCallEvent event = null;
		Answered answered = new Answered();
		try {
			ToolInvocation invocation = this.hooks.none() ? null
					: new ToolInvocation(name, policy, caller, arguments, new LinkedHashMap<>(),
							(kind == GovernedKind.RESOURCE) ? ToolInvocation.Kind.RESOURCE : ToolInvocation.Kind.PROMPT);
			Outcome<T> outcome = (authentication instanceof AuthenticationOutcome.Rejected rejected)
					? Outcome.refused(ToolError.of(ToolErrorCode.UNAUTHENTICATED, rejected.reason()))
					: decide(kind, key, policy, caller, invocation, requestId, handler, after, answered);
			if (outcome.error() != null) {
				this.hooks.onError(invocation, outcome.error(), requestId);
			}
			event = new ToolCallEvent(requestId, startedAt, name, policy, caller,
					(outcome.error() != null) ? CallOutcome.of(outcome.error().code()) : CallOutcome.OK,
					(outcome.error() != null) ? outcome.error().code() : null, answered.dataSource, answered.cacheHit,
					(System.nanoTime() - startNanos) / 1_000, arguments, observed.traceId(), observed.spanId());
			this.listeners.tell(event);
			if (outcome.error() != null) {
				throw ResourceErrors.toMcpError(outcome.error());
			}
			return redact.apply(outcome.result(), (policy != null) ? policy.redactKeys() : List.of());
		}
		finally {
			observed.stop(event);
		}
	}

	private <T> Outcome<T> decide(GovernedKind kind, String key, ToolPolicy policy, CallerIdentity caller,
			ToolInvocation invocation, String requestId, Supplier<T> handler, ExecutionHooks.Step<T> after,
			Answered answered) {
		String name = (policy != null) ? policy.toolName() : kind.nameOf(key);
		ToolError refusal = refusal(kind, key, caller);
		if (refusal == null) {
			refusal = this.limiter.check(name, policy, caller);
		}
		if (refusal == null) {
			refusal = this.hooks.beforeExecute(invocation, requestId,
					(message) -> ToolError.of(ToolErrorCode.FORBIDDEN, message));
		}
		if (refusal != null) {
			return Outcome.refused(refusal);
		}
		try {
			// Bound like a tool call's handler: the caller is known inside, the source it names is audited.
			T result = GovernanceContext.handle(caller, requestId,
					(invocation != null) ? invocation.outboundHeaders() : Map.of(), handler, answered::record);
			if (result == null) {
				return Outcome.refused(ToolErrorClassifier.internalError(requestId));
			}
			String method = (kind == GovernedKind.RESOURCE) ? "afterRead" : "afterGet";
			ExecutionHooks.After<T> transformed = this.hooks.after(invocation, result, after, (any) -> true, method,
					requestId);
			return new Outcome<>(transformed.result(), transformed.error());
		}
		catch (RuntimeException | Error failure) {
			return Outcome.refused(this.classifier.classify(failure, name, requestId));
		}
	}

	/** A delegated credential (a capability token) may allow less than its scopes: every block must agree. */
	private static ToolError delegationRefusal(String name, String label, ToolPolicy policy, CallerIdentity caller) {
		Delegation delegation = caller.delegation();
		if (delegation == null) {
			return null;
		}
		boolean permitted;
		try {
			permitted = delegation.permits(name, (policy != null) ? policy.requiredScope() : null);
		}
		catch (RuntimeException ex) {
			// Fail closed: a check that cannot be evaluated does not pass.
			permitted = false;
		}
		return permitted ? null : ToolError.of(ToolErrorCode.FORBIDDEN,
				"The caller's capability token does not allow " + label + " (restricted by the token itself).");
	}

	private static String label(GovernedKind kind, String key) {
		String noun = (kind == GovernedKind.RESOURCE) ? "resource" : "prompt";
		// A request that names nothing governed is described without the caller's text.
		return (key != null) ? Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + " '" + key + "'"
				: "This " + noun;
	}

	/** The data source the handler recorded, for the request's event. */
	private static final class Answered {

		private String dataSource;

		private boolean cacheHit;

		void record(String dataSource, boolean cacheHit) {
			this.dataSource = dataSource;
			this.cacheHit = cacheHit;
		}

	}

	/** What the checks and the handler came to: a result, or the error the caller gets. */
	private record Outcome<T>(T result, ToolError error) {

		static <T> Outcome<T> refused(ToolError error) {
			return new Outcome<>(null, error);
		}

	}

}
