package dev.mcpgovernance.security;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/** Serves the RFC 9728 document at the root well-known URI and path-inserted for the MCP endpoint. */
final class ProtectedResourceMetadataEndpoint {

	private ProtectedResourceMetadataEndpoint() {
	}

	public static RouterFunction<ServerResponse> routes(McpEndpoints endpoints, ProtectedResourceMetadata metadata) {
		RouterFunctions.Builder routes = RouterFunctions.route();
		routes.GET(McpEndpoints.RESOURCE_METADATA_PATH, (request) -> document(metadata, request));
		for (String path : endpoints.mcpPaths()) {
			routes.GET(McpEndpoints.RESOURCE_METADATA_PATH + path, (request) -> document(metadata, request));
		}
		return routes.build();
	}

	private static ServerResponse document(ProtectedResourceMetadata metadata, ServerRequest request) {
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.body(metadata.document(request.servletRequest()));
	}

}
