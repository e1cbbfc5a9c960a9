package dev.mcpgovernance.discovery;

import java.util.Map;

import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.UnknownToolName;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * Records a {@code tools/call} of a tool the running server does not have. The MCP SDK answers such
 * a call itself, with a JSON-RPC error, before any governed handler runs, so nothing else would
 * record it. The transports' decorators hand every request to {@link #inspect} before the server
 * dispatches it; the name is recorded by its shape ({@link UnknownToolName}), never as sent, and
 * the error code is {@code tool_not_found}. A call whose name is missing or not a string (which the
 * SDK cannot dispatch either; over HTTP the JSON-RPC check refuses it first) is recorded as
 * {@code invalid_input}.
 */
class UnknownToolCalls {

	private final ToolCatalog catalog;

	private final ToolCallGovernor governor;

	private final CallerToolView view;

	public UnknownToolCalls(ToolCatalog catalog, ToolCallGovernor governor, CallerToolView view) {
		this.catalog = catalog;
		this.governor = governor;
		this.view = view;
	}

	/** Records the request if it calls a tool the server does not have; never throws. */
	@SuppressWarnings("unchecked")
	public void inspect(McpSchema.JSONRPCMessage message, McpTransportContext context) {
		if (!(message instanceof McpSchema.JSONRPCRequest request)
				|| !McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
			return;
		}
		Map<String, Object> params = (request.params() instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
		Object name = params.get("name");
		if (name instanceof String toolName && this.catalog.isServed(toolName)) {
			return;
		}
		Map<String, Object> arguments = (params.get("arguments") instanceof Map<?, ?> map) ? (Map<String, Object>) map
				: Map.of();
		ToolErrorCode code = (name instanceof String) ? ToolErrorCode.TOOL_NOT_FOUND : ToolErrorCode.INVALID_INPUT;
		this.governor.report(UnknownToolName.of(name), this.view.callerOf(context), code, arguments);
	}

	/** {@code handling}, with the request inspected first in the transport context of its subscriber. */
	<T> Mono<T> inspected(McpSchema.JSONRPCMessage message, Mono<T> handling) {
		return Mono.deferContextual((context) -> {
			inspect(message, context.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY));
			return handling;
		});
	}

}
