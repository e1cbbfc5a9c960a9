package dev.mcpgovernance.identity;

import java.util.Objects;

import io.modelcontextprotocol.common.McpTransportContext;

/**
 * The OAuth access token a caller presented, carried to the tool thread only so that a connector
 * can exchange it (RFC 8693) for a token of its own downstream. It is never passed on as it is,
 * and {@link #toString()} never shows it, so that it cannot end up in a log by accident.
 */
public final class InboundAccessToken {

	/** Key of the token in the MCP transport context. */
	public static final String CONTEXT_KEY = "mcp.governance.inbound-access-token";

	private final String value;

	public InboundAccessToken(String value) {
		this.value = Objects.requireNonNull(value, "value");
	}

	/** The raw token, for a token exchange request and nothing else. */
	public String value() {
		return this.value;
	}

	/** The token in a transport context, or {@code null} (an API-key or STDIO caller). */
	public static InboundAccessToken of(McpTransportContext context) {
		return (context != null && context.get(CONTEXT_KEY) instanceof InboundAccessToken token) ? token : null;
	}

	@Override
	public String toString() {
		return "InboundAccessToken[redacted]";
	}

}
