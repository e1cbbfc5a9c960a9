package dev.mcpgovernance.tool;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers a {@link ToolExecutionHook} may add to the upstream requests of a tool call: an
 * HTTP token as the name, a value of Latin-1 characters without control characters, and none of the
 * names the HTTP client or the MCP transport set themselves. The JDK's HTTP client refuses a request
 * with any other (the call would count as the upstream's failure), and the MCP headers would break
 * the session.
 */
final class OutboundHeaders {

	private static final Set<String> RESERVED = Set.of("host", "connection", "content-length", "transfer-encoding",
			"expect", "upgrade", "te", "trailer", "keep-alive", "content-type", "accept", "mcp-session-id",
			"mcp-protocol-version", "last-event-id");

	private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

	private OutboundHeaders() {
	}

	/** Whether every header can be sent as it is; a {@code null} value is skipped when sending. */
	static boolean acceptable(Map<String, String> headers) {
		for (Map.Entry<String, String> header : headers.entrySet()) {
			if (header.getValue() == null) {
				continue;
			}
			if (!isToken(header.getKey()) || RESERVED.contains(header.getKey().toLowerCase(Locale.ROOT))
					|| !isValue(header.getValue())) {
				return false;
			}
		}
		return true;
	}

	private static boolean isToken(String name) {
		if (name == null || name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!letterOrDigit && TOKEN_SYMBOLS.indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	private static boolean isValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
				return false;
			}
		}
		return true;
	}

}
