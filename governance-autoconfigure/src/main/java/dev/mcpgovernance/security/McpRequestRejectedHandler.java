package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mcpgovernance.http.JsonResponses;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Answers a request Spring Security's firewall rejects (an unknown HTTP method, an encoded slash, a
 * header value with control characters) before any filter chain runs. For the MCP endpoints it is a
 * JSON-RPC error written here (405 with {@code Allow} for a method, 400 otherwise); every other path
 * keeps Spring Security's default, a plain 400. Without it, the MCP endpoint's answer would be the
 * error page of whatever chain covers {@code /error}.
 */
class McpRequestRejectedHandler implements RequestRejectedHandler {

	private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
			"OPTIONS", "TRACE");

	private final RequestMatcher mcpEndpoints;

	private final McpEndpoints.ServedMethods servedMethods;

	private final RequestRejectedHandler others = new HttpStatusRequestRejectedHandler();

	public McpRequestRejectedHandler(McpEndpoints endpoints) {
		this.mcpEndpoints = endpoints.mcpRequestMatcher();
		this.servedMethods = endpoints.servedMethods();
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			RequestRejectedException requestRejectedException) throws IOException, ServletException {
		if (!this.mcpEndpoints.matches(request)) {
			this.others.handle(request, response, requestRejectedException);
			return;
		}
		Set<HttpMethod> served = this.servedMethods.of(request);
		if (!STANDARD_METHODS.contains(request.getMethod()) && !served.isEmpty()) {
			response.setHeader(HttpHeaders.ALLOW,
					served.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
			JsonResponses.writeTransportError(response, HttpStatus.METHOD_NOT_ALLOWED.value(), null);
			return;
		}
		JsonResponses.writeTransportError(response, HttpStatus.BAD_REQUEST.value(), null);
	}

}
