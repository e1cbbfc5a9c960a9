package dev.mcpgovernance.identity;

import java.util.HashMap;
import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;

import org.springframework.web.servlet.function.ServerRequest;

/**
 * Carries the caller verified by the security filter chain (its {@link VerifiedCaller}) into the MCP
 * transport context, which the MCP server hands to the tool on whatever thread it runs. Without it
 * the transport context is empty and every governed tool refuses the call.
 */
public class CallerIdentityContextExtractor implements McpTransportContextExtractor<ServerRequest> {

	/** Key of the caller in the MCP transport context. */
	public static final String CONTEXT_KEY = "mcp.governance.caller";

	@Override
	public McpTransportContext extract(ServerRequest request) {
		VerifiedCaller caller = VerifiedCaller.of(request.servletRequest());
		if (caller == null) {
			return McpTransportContext.EMPTY;
		}
		if (caller.transportContext().isEmpty()) {
			return McpTransportContext.create(Map.of(CONTEXT_KEY, caller.identity()));
		}
		// E.g. the caller's own OAuth token, which travels along only for connectors that exchange it (RFC 8693).
		Map<String, Object> values = new HashMap<>(caller.transportContext());
		// Put last: no kind can replace the verified caller.
		values.put(CONTEXT_KEY, caller.identity());
		return McpTransportContext.create(values);
	}

	/** The caller in a transport context, or {@code null}. */
	public static CallerIdentity callerOf(McpTransportContext context) {
		return (context.get(CONTEXT_KEY) instanceof CallerIdentity identity) ? identity : null;
	}

}
