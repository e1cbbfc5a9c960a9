package dev.mcpgovernance.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import jakarta.servlet.http.HttpServletResponse;
import reactor.core.publisher.Mono;

/**
 * One request's answer stream, written as server-sent events straight into the servlet response while
 * the request's thread waits for the session to finish the request: the same events Spring AI's
 * transport writes ({@code id}, {@code event: message}, {@code data}: one JSON-RPC message each),
 * without its servlet async dispatch. Messages may come from other threads (a tool's progress on a
 * worker thread); they are written one at a time. Once {@link #close() closed}, which
 * {@link InlineRequestAnswers} does before the request's thread leaves, nothing more is written: the
 * response object may serve another request then.
 */
final class InlineEventStream implements McpStreamableServerTransport {

	private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

	private final HttpServletResponse response;

	private final String sessionId;

	private final McpJsonMapper json;

	private final ReentrantLock lock = new ReentrantLock();

	private boolean closed;

	private boolean written;

	InlineEventStream(HttpServletResponse response, String sessionId, McpJsonMapper json) {
		this.response = response;
		this.sessionId = sessionId;
		this.json = json;
	}

	@Override
	public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
		return sendMessage(message, null);
	}

	@Override
	public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
		return Mono.fromRunnable(() -> write(message, messageId));
	}

	private void write(McpSchema.JSONRPCMessage message, String messageId) {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			byte[] event = event((messageId != null) ? messageId : this.sessionId, this.json.writeValueAsString(message));
			this.response.getOutputStream().write(event);
			// The request's answer is its stream's last event, and the response ends as soon as it is sent:
			// the container writes it then, with the end of the body. Anything before it goes out at once.
			if (!(message instanceof McpSchema.JSONRPCResponse)) {
				this.response.flushBuffer();
			}
			this.written = true;
		}
		catch (IOException ex) {
			// The client has gone: nothing more can reach it.
			this.closed = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** One event as Spring's SSE builder writes it: a data line per line of the text. */
	static byte[] event(String id, String data) {
		StringBuilder event = new StringBuilder(data.length() + id.length() + 32).append("id:")
			.append(id)
			.append("\nevent:message\n");
		// Compact JSON has no line break; any other text gets a data line per line.
		if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
			event.append("data:").append(data).append('\n');
		}
		else {
			for (String line : LINE_BREAK.split(data, -1)) {
				event.append("data:").append(line).append('\n');
			}
		}
		return event.append('\n').toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Closes the stream, and tells whether nothing had been written to it: the response's status and
	 * headers are then not sent yet, and another answer may take its place.
	 */
	boolean closeUnanswered() {
		this.lock.lock();
		try {
			this.closed = true;
			return !this.written;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
		return this.json.convertValue(data, typeRef);
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public Mono<Void> closeGracefully() {
		return Mono.fromRunnable(this::close);
	}

}
