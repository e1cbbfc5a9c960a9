package dev.mcpgovernance.session;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Told of every session a session-based MCP transport (streamable HTTP, legacy SSE, STDIO) opens,
 * on the thread that opens it, with the way to close it: closing ends its open event stream.
 */
@FunctionalInterface
public interface McpSessionListener {

	/** For a server without session governance. */
	McpSessionListener NONE = (sessionId, close) -> {
	};

	/**
	 * @param sessionId the id the transport hands the client
	 * @param close closes the SDK session, ending its event stream
	 */
	void opened(String sessionId, Supplier<Mono<Void>> close);

}
