package dev.mcpgovernance.security;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads and checks the JSON-RPC body of an MCP POST before the MCP server sees it. The MCP server
 * answers a malformed body with its internal exception text and an {@code initialize} without
 * params with a 500; here both become clean JSON-RPC errors, and oversized bodies are refused
 * without being read in full.
 */
public class JsonRpcRequestFilter extends OncePerRequestFilter {

	/** Request attribute holding the checked JSON-RPC message (a Jackson {@code JsonNode}), so it is parsed once. */
	public static final String MESSAGE_ATTRIBUTE = JsonRpcRequestFilter.class.getName() + ".message";

	static final int PARSE_ERROR = -32700;

	static final int INVALID_REQUEST = -32600;

	static final int INVALID_PARAMS = -32602;

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RequestMatcher mcpEndpoints;

	private final long maxBytes;

	private final RefusedToolCallReporter refusals;

	public JsonRpcRequestFilter(RequestMatcher mcpEndpoints, long maxBytes) {
		this(mcpEndpoints, maxBytes, null);
	}

	/**
	 * @param refusals told of a refused {@code tools/call}, for the audit trail; may be {@code null}
	 */
	public JsonRpcRequestFilter(RequestMatcher mcpEndpoints, long maxBytes, RefusedToolCallReporter refusals) {
		this.mcpEndpoints = mcpEndpoints;
		this.maxBytes = maxBytes;
		this.refusals = refusals;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!HttpMethod.POST.matches(request.getMethod()) || !this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = readBounded(request);
		if (body == null) {
			JsonResponses.writeJsonRpcError(response, HttpStatus.PAYLOAD_TOO_LARGE.value(), null, INVALID_REQUEST,
					"Request body exceeds " + this.maxBytes + " bytes");
			return;
		}
		JsonNode message;
		try {
			message = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			message = null;
		}
		if (message == null || message.isMissingNode()) {
			JsonResponses.writeJsonRpcError(response, HttpStatus.BAD_REQUEST.value(), null, PARSE_ERROR,
					"Parse error: the body is not valid JSON");
			return;
		}
		Problem problem = check(message);
		if (problem != null) {
			if (this.refusals != null) {
				// A malformed tools/call is still a tool call: the audit trail records it (issue 21).
				this.refusals.reportMalformed(request, message);
			}
			JsonResponses.writeJsonRpcError(response, HttpStatus.BAD_REQUEST.value(), idOf(message), problem.code(),
					problem.message());
			return;
		}
		request.setAttribute(MESSAGE_ATTRIBUTE, message);
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

	/** The request's id when it is a valid one, so the client can match the error to its request. */
	public static Object idOf(JsonNode message) {
		JsonNode id = message.path("id");
		if (id.isString()) {
			return id.asString("");
		}
		return id.isIntegralNumber() ? id.numberValue() : null;
	}

	/** Reads at most {@code maxBytes}; {@code null} when the body is larger. */
	private byte[] readBounded(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > this.maxBytes) {
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxBytes + 1));
			return (body.length > this.maxBytes) ? null : body;
		}
	}

	/** The first thing wrong with a parsed message, or {@code null}. */
	static Problem check(JsonNode message) {
		if (!message.isObject()) {
			return new Problem(INVALID_REQUEST, "Invalid request: a JSON-RPC message must be a JSON object");
		}
		if (!"2.0".equals(message.path("jsonrpc").asString(null))) {
			return new Problem(INVALID_REQUEST, "Invalid request: jsonrpc must be \"2.0\"");
		}
		JsonNode id = message.get("id");
		if (id != null && !(id.isString() || id.isIntegralNumber() || id.isNull())) {
			return new Problem(INVALID_REQUEST, "Invalid request: id must be a string or an integer");
		}
		JsonNode method = message.get("method");
		if (method == null) {
			boolean isResponse = message.has("result") || message.has("error");
			return isResponse ? null : new Problem(INVALID_REQUEST, "Invalid request: method is missing");
		}
		if (!method.isString()) {
			return new Problem(INVALID_REQUEST, "Invalid request: method must be a string");
		}
		JsonNode params = message.get("params");
		if (params != null && !params.isObject()) {
			return new Problem(INVALID_PARAMS, "Invalid params: params must be an object");
		}
		return switch (method.asString("")) {
			case "initialize" -> checkInitialize(params);
			case "tools/call" -> checkToolCall(params);
			default -> null;
		};
	}

	private static Problem checkInitialize(JsonNode params) {
		if (params == null || !params.path("protocolVersion").isString() || !params.path("capabilities").isObject()
				|| !params.path("clientInfo").path("name").isString()) {
			return new Problem(INVALID_PARAMS,
					"Invalid params: initialize needs protocolVersion, capabilities and clientInfo.name");
		}
		return null;
	}

	private static Problem checkToolCall(JsonNode params) {
		if (params == null || !params.path("name").isString()) {
			return new Problem(INVALID_PARAMS, "Invalid params: tools/call needs the tool name");
		}
		JsonNode arguments = params.get("arguments");
		if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
			return new Problem(INVALID_PARAMS, "Invalid params: arguments must be an object");
		}
		return null;
	}

	record Problem(int code, String message) {
	}

	/** The request with its body already read, so the MCP server can read it again. */
	private static final class CachedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body was already read");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
