package dev.mcpgovernance.tool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpgovernance.identity.CallerIdentity;

/**
 * One tool call, resource read or prompt get as the {@link ToolExecutionHook}s see it.
 *
 * @param toolName the MCP tool name; for a read or get its governed name
 * ({@code resources/read orders://{orderId}}, {@code prompts/get summarize_order})
 * @param policy the tool's governance policy; {@code null} for an ungoverned tool the server allows
 * @param caller the verified caller; {@code null} only in {@link ToolExecutionHook#onError} for a call
 * refused because no verified caller reached it
 * @param arguments the caller's arguments, read-only (the top level; a hook must not change nested values)
 * @param outboundHeaders headers a hook adds for the calls this tool makes upstream (gateway tools send
 * them); mutable, shared by all hooks of the call
 * @param kind what is invoked: a tool, a resource (read) or a prompt (get)
 */
public record ToolInvocation(String toolName, ToolPolicy policy, CallerIdentity caller, Map<String, Object> arguments,
		Map<String, String> outboundHeaders, Kind kind) {

	public ToolInvocation {
		// Not Map.copyOf: JSON arguments may hold null values.
		arguments = (arguments != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(arguments)) : Map.of();
		outboundHeaders = (outboundHeaders != null) ? outboundHeaders : new LinkedHashMap<>();
		kind = (kind != null) ? kind : Kind.TOOL;
	}

	/** A tool call. */
	public ToolInvocation(String toolName, ToolPolicy policy, CallerIdentity caller, Map<String, Object> arguments,
			Map<String, String> outboundHeaders) {
		this(toolName, policy, caller, arguments, outboundHeaders, Kind.TOOL);
	}

	/** What a hook is asked about. */
	public enum Kind {

		/** A {@code tools/call}. */
		TOOL,

		/** A {@code resources/read}. */
		RESOURCE,

		/** A {@code prompts/get}. */
		PROMPT

	}

}
