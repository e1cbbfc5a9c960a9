package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.List;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.http.JsonRpcMessages;
import dev.mcpgovernance.session.StreamableSessions;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Answers a streamable session's JSON-RPC request on the request's own thread. Spring AI's handler
 * answers it with {@code ServerResponse.sse}: the servlet request goes asynchronous, the handler
 * still waits on the request's thread for the session to finish, and the container then dispatches
 * the request a second time (filters, the firewall, the dispatcher servlet) only to end it. This
 * filter hands the session the same request with an {@link InlineEventStream} that writes the same
 * events, so the response ends when the request's thread leaves (issue 23; docs/architecture.md,
 * difference 63).
 * <p>
 * It answers only what Spring AI's handler would answer with a stream: a POST whose body the starter's
 * filters have checked and kept ({@link JsonRpcMessages#BODY_ATTRIBUTE}), holding a JSON-RPC request
 * other than {@code initialize}, accepting both {@code application/json} and {@code text/event-stream},
 * on a session the server holds ({@link StreamableSessions#answerable}, which also sends a request to
 * Spring AI's handler now and then so that the transport sees the session in use). Anything else
 * (initialize, notifications, responses, an unknown session, a body no filter kept, a shutting-down
 * server, whose sessions are closed) goes to Spring AI's handler, as before.
 */
final class InlineRequestAnswers implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	private static final Log logger = LogFactory.getLog(InlineRequestAnswers.class);

	private final StreamableSessions sessions;

	private final McpJsonMapper json;

	private final McpTransportContextExtractor<ServerRequest> contextExtractor;

	InlineRequestAnswers(StreamableSessions sessions, McpJsonMapper json,
			McpTransportContextExtractor<ServerRequest> contextExtractor) {
		this.sessions = sessions;
		this.json = json;
		this.contextExtractor = contextExtractor;
	}

	@Override
	public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
		HttpServletRequest servletRequest = request.servletRequest();
		String sessionId = servletRequest.getHeader(HttpHeaders.MCP_SESSION_ID);
		if (sessionId == null || !"POST".equals(servletRequest.getMethod())
				|| !(servletRequest.getAttribute(JsonRpcMessages.BODY_ATTRIBUTE) instanceof String body)
				|| !acceptsBoth(accepted(request))) {
			return next.handle(request);
		}
		McpSchema.JSONRPCMessage message;
		try {
			message = McpSchema.deserializeJsonRpcMessage(this.json, body);
		}
		catch (RuntimeException | IOException ex) {
			return next.handle(request);
		}
		if (!(message instanceof McpSchema.JSONRPCRequest jsonRpcRequest)
				|| McpSchema.METHOD_INITIALIZE.equals(jsonRpcRequest.method())) {
			return next.handle(request);
		}
		McpStreamableServerSession session = this.sessions.answerable(sessionId);
		if (session == null) {
			return next.handle(request);
		}
		McpTransportContext context = this.contextExtractor.extract(request);
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.cacheControl(CacheControl.noCache())
			.build((servlet, response) -> {
				answer(session, jsonRpcRequest, context, new InlineEventStream(response, sessionId, this.json), response);
				return null;
			});
	}

	/**
	 * The {@code Accept} types as {@link TransportRequestFilter} parsed them from the same header values
	 * (as Spring's headers parse them for Spring AI's handler), or parsed here without that filter.
	 */
	@SuppressWarnings("unchecked")
	private static List<MediaType> accepted(ServerRequest request) {
		if (request.servletRequest().getAttribute(TransportRequestFilter.ACCEPT_ATTRIBUTE) instanceof List<?> parsed) {
			return (List<MediaType>) parsed;
		}
		try {
			return request.headers().accept();
		}
		catch (InvalidMediaTypeException ex) {
			// Spring AI's handler refuses it.
			return List.of();
		}
	}

	/** Spring AI's handler asks for both, compared exactly; so does this, so that the two agree. */
	private static boolean acceptsBoth(List<MediaType> accept) {
		return accept.contains(MediaType.TEXT_EVENT_STREAM) && accept.contains(MediaType.APPLICATION_JSON);
	}

	private void answer(McpStreamableServerSession session, McpSchema.JSONRPCRequest request,
			McpTransportContext context, InlineEventStream stream, HttpServletResponse response) throws Exception {
		try {
			session.responseStream(request, stream)
				.contextWrite((reactorContext) -> reactorContext.put(McpTransportContext.KEY, context))
				.block();
		}
		catch (RuntimeException ex) {
			// The class only: an exception's message may quote the request.
			logger.debug("MCP request stream failed: " + ex.getClass().getName());
			if (stream.closeUnanswered() && !response.isCommitted()) {
				response.reset();
				JsonResponses.writeTransportError(response, HttpStatus.INTERNAL_SERVER_ERROR.value(), request.id());
			}
		}
		finally {
			stream.close();
		}
	}

}
