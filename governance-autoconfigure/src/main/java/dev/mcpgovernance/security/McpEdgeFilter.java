package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.http.JsonRpcMessages;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.PatternMatchUtils;

/**
 * The first filter on the MCP endpoints. It refuses a {@code Host} outside the allowed hosts (DNS
 * rebinding needs no {@code Origin} header: a page on a rebound name talks to the server as its own
 * origin), and it makes every later refusal a clean JSON-RPC error: an error that Spring MVC or the
 * servlet container would answer with {@code sendError} (an error page dispatch, with the framework's
 * text) and an exception that escapes the chain are written here instead, with the fixed text for
 * their status and nothing of the exception or the request.
 */
final class McpEdgeFilter extends GovernedRequestFilter {

	private static final Log logger = LogFactory.getLog(McpEdgeFilter.class);

	private static final String TOMCAT_INVALID_PARAMETER = "org.apache.tomcat.util.http.InvalidParameterException";

	private final RequestMatcher mcpEndpoints;

	private final List<String> allowedHosts;

	private final RequestMatcher eventStreamOpenings;

	/**
	 * @param allowedHosts host patterns ({@code host} for any port, {@code host:port}; {@code *}
	 * matches any part, {@code *} alone every host)
	 * @param eventStreamOpenings requests opening a legacy SSE event stream, whose flushes wait until
	 * the request thread has left the chain ({@link EventStreamOpening})
	 */
	McpEdgeFilter(RequestMatcher mcpEndpoints, List<String> allowedHosts, RequestMatcher eventStreamOpenings) {
		this.mcpEndpoints = mcpEndpoints;
		this.eventStreamOpenings = eventStreamOpenings;
		this.allowedHosts = allowedHosts.stream().map((host) -> host.toLowerCase(Locale.ROOT)).toList();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (!hostAllowed(request)) {
			JsonResponses.writeError(response, HttpStatus.FORBIDDEN.value(), "forbidden",
					"Host not allowed; add it to mcp.governance.allowed-hosts if it is yours.");
			return;
		}
		CleanErrorResponse clean = new CleanErrorResponse(request, response);
		EventStreamOpening opening = this.eventStreamOpenings.matches(request) ? new EventStreamOpening(clean) : null;
		try {
			chain.doFilter(request, (opening != null) ? opening : clean);
			if (opening != null) {
				opening.release();
			}
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (response.isCommitted()) {
				throw ex;
			}
			if (unreadableRequest(ex)) {
				clean.answer(HttpStatus.BAD_REQUEST.value());
				return;
			}
			// The type only: an exception's message may quote the request.
			logger.warn("MCP request failed with " + ex.getClass().getName() + "; answered 500");
			clean.answer(HttpStatus.INTERNAL_SERVER_ERROR.value());
		}
	}

	/**
	 * Whether the container failed to read the request itself (a query string whose escapes are not
	 * UTF-8, read by whichever filter first asks for a parameter): bad input, answered 400, not 500.
	 */
	private static boolean unreadableRequest(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (TOMCAT_INVALID_PARAMETER.equals(cause.getClass().getName())) {
				return true;
			}
		}
		return false;
	}

	private boolean hostAllowed(HttpServletRequest request) {
		String name = request.getServerName().toLowerCase(Locale.ROOT);
		if (name.indexOf(':') >= 0 && !name.startsWith("[")) {
			name = "[" + name + "]";
		}
		String withPort = name + ":" + request.getServerPort();
		for (String pattern : this.allowedHosts) {
			if (PatternMatchUtils.simpleMatch(pattern, hasPort(pattern) ? withPort : name)) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasPort(String pattern) {
		return pattern.startsWith("[") ? pattern.contains("]:") : pattern.contains(":");
	}

	/**
	 * Writes an error the chain would send with {@code sendError} as the JSON-RPC error for its
	 * status, so the container never renders an error page for an MCP endpoint.
	 */
	private static final class CleanErrorResponse extends HttpServletResponseWrapper {

		private final HttpServletRequest request;

		CleanErrorResponse(HttpServletRequest request, HttpServletResponse response) {
			super(response);
			this.request = request;
		}

		@Override
		public void sendError(int status) throws IOException {
			answer(status);
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			answer(status);
		}

		void answer(int status) throws IOException {
			if (isCommitted()) {
				// Too late to say anything else: the answer's status and part of its body have gone.
				return;
			}
			HttpServletResponse response = (HttpServletResponse) getResponse();
			response.reset();
			JsonResponses.writeTransportError(response, status, JsonRpcMessages.requestId(this.request));
			response.flushBuffer();
		}

	}

}
