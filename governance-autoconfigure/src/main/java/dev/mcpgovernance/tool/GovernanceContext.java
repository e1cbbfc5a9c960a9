package dev.mcpgovernance.tool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Delegation;

/**
 * The caller of the tool call running on this thread. The governor binds it around the handler, on
 * the thread that runs the handler, so it holds whatever thread the MCP server picked.
 *
 * <pre>
 * CallerIdentity caller = GovernanceContext.caller().orElseThrow();
 * </pre>
 *
 * Tests and code outside MCP can run a governed method as someone with {@link #callAs}.
 */
public final class GovernanceContext {

	private static final ThreadLocal<GovernedCall> CURRENT = new ThreadLocal<>();

	private GovernanceContext() {
	}

	/** The verified caller of the current tool call, if one is running on this thread. */
	public static Optional<CallerIdentity> caller() {
		GovernedCall call = CURRENT.get();
		return (call != null) ? Optional.ofNullable(call.caller()) : Optional.empty();
	}

	/** The id of the current tool call, for correlating logs with the audit trail. */
	public static Optional<String> requestId() {
		GovernedCall call = CURRENT.get();
		return (call != null) ? Optional.of(call.requestId()) : Optional.empty();
	}

	/**
	 * A resource limit the caller's capability token sets for the current tool call, such as
	 * {@code max_rows}: the smallest value any holder in the delegation chain allowed. Empty when no
	 * tool call runs, the caller has no capability token, or the token sets no such limit; the
	 * handler then applies its own default.
	 */
	public static OptionalLong limit(String name) {
		Delegation delegation = caller().map(CallerIdentity::delegation).orElse(null);
		Long value = (delegation != null) ? delegation.limits().get(name) : null;
		return (value != null) ? OptionalLong.of(value) : OptionalLong.empty();
	}

	/**
	 * The headers the {@link ToolExecutionHook}s added for the upstream calls of the current tool call
	 * (read-only); empty outside a tool call.
	 */
	public static Map<String, String> outboundHeaders() {
		GovernedCall call = CURRENT.get();
		if (call == null) {
			return Map.of();
		}
		// A hook may have put a null; such a header is not sent rather than failing the call.
		Map<String, String> headers = new LinkedHashMap<>();
		call.outboundHeaders().forEach((name, value) -> {
			if (name != null && value != null) {
				headers.put(name, value);
			}
		});
		return Collections.unmodifiableMap(headers);
	}

	/**
	 * Records which data source answered the current tool call and whether a cache answered for it;
	 * the audit record carries both. Does nothing outside a tool call.
	 */
	public static void recordDataSource(String dataSource, boolean cacheHit) {
		GovernedCall call = CURRENT.get();
		if (call != null) {
			call.recordDataSource(dataSource, cacheHit);
		}
	}

	/** Runs {@code work} as {@code caller}: governed methods called inside see that identity. */
	public static <T> T callAs(CallerIdentity caller, Supplier<T> work) {
		return within(new GovernedCall(caller, null, UUID.randomUUID().toString()), work);
	}

	/**
	 * Runs the handler of a request other than a tool call (a resource read, a prompt get) as a tool
	 * call's runs: inside, {@link #caller()}, {@link #outboundHeaders()}, {@link #recordDataSource}
	 * and {@link #propagate} work.
	 * @param outboundHeaders the headers the execution hooks added for the request's upstream calls,
	 * checked already by {@link ExecutionHooks#beforeExecute} (which refuses a request whose hook added
	 * one that cannot be sent)
	 * @param recorded told of the data source the handler recorded ({@code null} for none) and whether
	 * a cache answered, however the handler ends, so that its audit record names the source too
	 */
	public static <T> T handle(CallerIdentity caller, String requestId, Map<String, String> outboundHeaders,
			Supplier<T> handler, BiConsumer<String, Boolean> recorded) {
		GovernedCall call = new GovernedCall(caller, null, requestId);
		call.outboundHeaders().putAll(outboundHeaders);
		try {
			return within(call, handler);
		}
		finally {
			recorded.accept(call.dataSource(), call.cacheHit());
		}
	}

	/**
	 * {@code work} bound to the current tool call, to run on another thread (an executor that
	 * enforces a time limit, say): there it sees the same caller, and what it records counts for this
	 * call. Outside a tool call, {@code work} itself.
	 */
	public static <T> Callable<T> propagate(Callable<T> work) {
		GovernedCall call = CURRENT.get();
		if (call == null) {
			return work;
		}
		return () -> {
			GovernedCall previous = CURRENT.get();
			CURRENT.set(call);
			try {
				return work.call();
			}
			finally {
				restore(previous);
			}
		};
	}

	static <T> T within(GovernedCall call, Supplier<T> work) {
		GovernedCall previous = CURRENT.get();
		CURRENT.set(call);
		try {
			return work.get();
		}
		finally {
			restore(previous);
		}
	}

	private static void restore(GovernedCall previous) {
		if (previous != null) {
			CURRENT.set(previous);
		}
		else {
			CURRENT.remove();
		}
	}

	static GovernedCall current() {
		return CURRENT.get();
	}

}
