package dev.mcpgovernance.resource;

import dev.mcpgovernance.tool.ToolError;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;

/**
 * How a refused or failed read, get, subscribe or completion reaches the caller: unlike a tool call,
 * these requests have no result that can carry an error, so the {@link ToolError} envelope becomes
 * a JSON-RPC error whose message is the envelope's message (naming the required scope on a
 * refusal) and whose {@code data} is the envelope itself.
 */
public final class ResourceErrors {

	/** The JSON-RPC code of a request refused by governance: unauthenticated, forbidden or rate limited. */
	public static final int REFUSED = -32003;

	/**
	 * The JSON-RPC code of a request that failed after the checks. Not -32603: the SDK's internal
	 * errors have their text and data removed on the way out, and this one carries the request id.
	 */
	public static final int FAILED = -32000;

	private ResourceErrors() {
	}

	/** The JSON-RPC error of an envelope. */
	public static JSONRPCError toJsonRpc(ToolError error) {
		int code = switch (error.code()) {
			case UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED -> REFUSED;
			case INVALID_INPUT -> McpSchema.ErrorCodes.INVALID_PARAMS;
			default -> FAILED;
		};
		return new JSONRPCError(code, error.message(), error.toMap());
	}

	/** The exception that makes the MCP server answer with {@link #toJsonRpc}. */
	public static McpError toMcpError(ToolError error) {
		return new McpError(toJsonRpc(error));
	}

}
