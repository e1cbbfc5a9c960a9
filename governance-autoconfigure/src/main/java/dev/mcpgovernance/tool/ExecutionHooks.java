package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs the application's {@link ToolExecutionHook}s, in order and failing closed, for every governor
 * alike (tool calls, resource reads, prompt gets and their lists): a hook that throws anything (an
 * {@link Error}, or a checked exception from Kotlin, too) or answers nothing usable ends the request
 * with {@code internal_error}, or leaves a list empty. Only the hook's type and the exception's type
 * are logged; messages may hold data.
 */
public final class ExecutionHooks {

	private static final Log logger = LogFactory.getLog(ExecutionHooks.class);

	private final List<ToolExecutionHook> hooks;

	public ExecutionHooks(List<ToolExecutionHook> hooks) {
		this.hooks = List.copyOf(hooks);
	}

	/** Whether there are none, so a governor can skip making what only hooks read. */
	public boolean none() {
		return this.hooks.isEmpty();
	}

	/**
	 * The first hook that denies refuses the request ({@code denied} makes the error from its
	 * message); a hook that throws, answers nothing, or adds a header that cannot be sent refuses it
	 * as well. {@code null} when every hook lets it proceed.
	 */
	public ToolError beforeExecute(ToolInvocation invocation, String requestId, Function<String, ToolError> denied) {
		for (ToolExecutionHook hook : this.hooks) {
			ToolExecutionHook.Decision decision;
			try {
				decision = hook.beforeExecute(invocation);
			}
			catch (Throwable ex) {
				return failed(hook, "beforeExecute", ex, requestId);
			}
			if (decision instanceof ToolExecutionHook.Decision.Deny deny) {
				return denied.apply(deny.message());
			}
			if (decision == null) {
				return failed(hook, "beforeExecute", null, requestId);
			}
			if (!OutboundHeaders.acceptable(invocation.outboundHeaders())) {
				// Sent as it is, such a header would fail the upstream request or break its protocol.
				logger.warn("Tool execution hook " + hook.getClass().getName()
						+ ".beforeExecute added an outbound header that is malformed or reserved for the transport"
						+ " (request " + requestId + ")");
				return ToolErrorClassifier.internalError(requestId);
			}
		}
		return null;
	}

	/**
	 * Each hook transforms the previous one's result ({@code afterExecute}, {@code afterRead},
	 * {@code afterGet}); one that throws, or answers what {@code usable} refuses, ends the request.
	 */
	public <T> After<T> after(ToolInvocation invocation, T handlerResult, Step<T> step, Predicate<T> usable,
			String method, String requestId) {
		T result = handlerResult;
		for (ToolExecutionHook hook : this.hooks) {
			try {
				result = step.apply(hook, invocation, result);
			}
			catch (Throwable ex) {
				return new After<>(null, failed(hook, method, ex, requestId));
			}
			if (result == null || !usable.test(result)) {
				return new After<>(null, failed(hook, method, null, requestId));
			}
		}
		return new After<>(result, null);
	}

	/** Tells every hook the request ended with {@code error}; observe only, so a failing hook is logged and ignored. */
	public void onError(ToolInvocation invocation, ToolError error, String requestId) {
		for (ToolExecutionHook hook : this.hooks) {
			try {
				hook.onError(invocation, error);
			}
			catch (Throwable ex) {
				// Observe only: the caller gets the error the request ended with.
				log(hook, "onError", ex, requestId);
			}
		}
	}

	/**
	 * The items of a list answer the hooks leave: a hook may only remove items, so its answer is
	 * intersected (by each item's key) with what it was given; a hook that throws or answers nothing
	 * leaves nothing.
	 * @param hook one hook's answer to the items it is given
	 * @param key what identifies an item (a tool's name, a resource's URI)
	 * @param method the hook method, for the log
	 */
	public <T> List<T> afterList(List<T> items, BiFunction<ToolExecutionHook, List<T>, List<T>> hook,
			Function<T, String> key, String method) {
		List<T> visible = List.copyOf(items);
		for (ToolExecutionHook each : this.hooks) {
			List<T> kept;
			try {
				kept = hook.apply(each, visible);
			}
			catch (Throwable ex) {
				// Throwable, not RuntimeException: on the transport's thread anything else would lose the
				// answer, and the client would wait for it until its request timeout.
				log(each, method, ex, null);
				return List.of();
			}
			if (kept == null) {
				return List.of();
			}
			Set<String> keys = kept.stream().map(key).collect(Collectors.toSet());
			visible = visible.stream().filter((item) -> keys.contains(key.apply(item))).toList();
		}
		return visible;
	}

	private static ToolError failed(ToolExecutionHook hook, String method, Throwable ex, String requestId) {
		log(hook, method, ex, requestId);
		return ToolErrorClassifier.internalError(requestId);
	}

	private static void log(ToolExecutionHook hook, String method, Throwable ex, String requestId) {
		String failure = (ex != null) ? "failed with " + ex.getClass().getName() : "returned no usable answer";
		logger.warn("Tool execution hook " + hook.getClass().getName() + "." + method + " " + failure
				+ ((requestId != null) ? " (request " + requestId + ")" : ""));
	}

	/** A hook's method that may transform a successful result. */
	@FunctionalInterface
	public interface Step<T> {

		T apply(ToolExecutionHook hook, ToolInvocation invocation, T result);

	}

	/** What the hooks left: the result to go on with, or the error the request ends with. */
	public record After<T>(T result, ToolError error) {

	}

}
