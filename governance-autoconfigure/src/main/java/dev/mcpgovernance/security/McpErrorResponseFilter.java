package dev.mcpgovernance.security;

import tools.jackson.databind.JsonNode;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;

import org.springframework.web.servlet.function.EntityResponse;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Answers the MCP transports' own refusals as JSON-RPC error responses. Spring AI's WebMVC transports
 * return an {@link McpError} (an exception) as the body of, for example, the 400 for a request without
 * a session, and the message converters write it as a bean: its stack trace, class names and all. A
 * client probing a newer protocol revision gets exactly that 400 first, so it must read as a clean
 * JSON-RPC error (with the request's id where it is known), on which the client falls back.
 */
final class McpErrorResponseFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	@Override
	public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
		ServerResponse response = next.handle(request);
		if (!(response instanceof EntityResponse<?> entity) || !(entity.entity() instanceof McpError refusal)) {
			return response;
		}
		JSONRPCError error = refusal.getJsonRpcError();
		Object id = request.attribute(JsonRpcRequestFilter.MESSAGE_ATTRIBUTE)
			.map((message) -> JsonRpcRequestFilter.idOf((JsonNode) message))
			.orElse(null);
		int status = entity.statusCode().value();
		return ServerResponse.status(status).build((servletRequest, servletResponse) -> {
			JsonResponses.writeJsonRpcError(servletResponse, status, id, error.code(), error.message());
			return null;
		});
	}

}
