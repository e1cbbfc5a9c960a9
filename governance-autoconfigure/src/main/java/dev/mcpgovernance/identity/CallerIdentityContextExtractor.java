package dev.mcpgovernance.identity;

import java.util.HashMap;
import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpTransportContextExtractor;

import org.springframework.web.servlet.function.ServerRequest;

/**
 * Carries the caller verified by the security filter chain into the MCP transport context, which
 * the MCP server hands to the tool on whatever thread it runs. Without it the transport context is
 * empty and every governed tool refuses the call.
 */
public class CallerIdentityContextExtractor implements McpTransportContextExtractor<ServerRequest> {

	/** Request attribute where the security filter leaves the verified caller. */
	public static final String REQUEST_ATTRIBUTE = CallerIdentity.class.getName();

	/**
	 * Request attribute where the security filter leaves what the credential's {@link CredentialKind}
	 * adds to the transport context (a {@code Map<String, Object>}).
	 */
	public static final String CREDENTIAL_CONTEXT_ATTRIBUTE = CredentialKind.class.getName() + ".transportContext";

	/** Key of the caller in the MCP transport context. */
	public static final String CONTEXT_KEY = "mcp.governance.caller";

	@Override
	public McpTransportContext extract(ServerRequest request) {
		Object caller = request.servletRequest().getAttribute(REQUEST_ATTRIBUTE);
		if (!(caller instanceof CallerIdentity identity)) {
			return McpTransportContext.EMPTY;
		}
		// E.g. the caller's own OAuth token, which travels along only for connectors that exchange it (RFC 8693).
		if (request.servletRequest().getAttribute(CREDENTIAL_CONTEXT_ATTRIBUTE) instanceof Map<?, ?> credential) {
			Map<String, Object> values = new HashMap<>();
			credential.forEach((key, value) -> values.put((String) key, value));
			// Put last: no kind can replace the verified caller.
			values.put(CONTEXT_KEY, identity);
			return McpTransportContext.create(values);
		}
		return McpTransportContext.create(Map.of(CONTEXT_KEY, identity));
	}

	/** The caller in a transport context, or {@code null}. */
	public static CallerIdentity callerOf(McpTransportContext context) {
		return (context.get(CONTEXT_KEY) instanceof CallerIdentity identity) ? identity : null;
	}

}
