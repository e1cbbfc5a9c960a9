package dev.mcpgovernance.security;


import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.http.JsonRpcMessages;

/**
 * Answers every refusal of the MCP transports as a clean JSON-RPC error. Spring AI's WebMVC transports
 * answer with an {@code McpError} (an exception, written by the message converters as a bean: stack
 * trace, class names and all), a plain text that may quote the request ({@code "Session not found:
 * <id>"}), or no body at all. Whatever the body, a status of 400 or more goes out with the fixed text
 * for that status and the request's id where it is known; a 404 is always the unknown session, the
 * only thing the transports answer it for. A client probing a newer protocol revision gets such a
 * 400 first, and falls back on it.
 */
final class McpErrorResponseFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	@Override
	public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
		ServerResponse response = next.handle(request);
		int status = response.statusCode().value();
		if (status < HttpStatus.BAD_REQUEST.value()) {
			return response;
		}
		Object id = JsonRpcMessages.requestId(request.servletRequest());
		return ServerResponse.status(status).build((servletRequest, servletResponse) -> {
			if (status == HttpStatus.NOT_FOUND.value()) {
				JsonResponses.writeSessionNotFound(servletResponse, id);
			}
			else {
				JsonResponses.writeTransportError(servletResponse, status, id);
			}
			return null;
		});
	}

}
