package dev.mcpgovernance.security;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.http.JsonRpcMessages;
import tools.jackson.databind.JsonNode;
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

/**
 * Reads and checks the JSON-RPC body of an MCP POST before the MCP server sees it. The MCP server
 * answers a malformed body with its internal exception text and an {@code initialize} without
 * params with a 500; here both become clean JSON-RPC errors, and oversized bodies are refused
 * without being read in full. The body must be UTF-8 (a UTF-16 body is a parse error, not text the
 * server guesses at); a request's id is a string or an integer that fits a long, never {@code null};
 * the params the SDK reads without checking ({@code completion/complete}'s reference, a prompt's
 * name, a resource's uri) must be there. On every MCP request, an {@code MCP-Protocol-Version}
 * header must name a revision the transport serves, and the {@code Mcp-Method} and {@code Mcp-Name}
 * headers (2026-07-28) must agree with the body, so that nothing later can act on a header the body
 * contradicts.
 */
class JsonRpcRequestFilter extends GovernedRequestFilter {

	static final int PARSE_ERROR = -32700;

	static final int INVALID_REQUEST = -32600;

	static final int INVALID_PARAMS = -32602;

	/** The 2026-07-28 revision's code for {@code Mcp-Method} or {@code Mcp-Name} contradicting the body. */
	static final int HEADER_MISMATCH = -32020;

	static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";

	static final String METHOD_HEADER = "Mcp-Method";

	static final String NAME_HEADER = "Mcp-Name";

	private final RequestMatcher mcpEndpoints;

	private final long maxBytes;

	private final Supplier<? extends Collection<String>> protocolVersions;

	private final RefusedToolCallReporter refusals;

	/**
	 * @param protocolVersions the revisions the transport serves, asked for on each request that
	 * names one in its {@code MCP-Protocol-Version} header
	 * @param refusals told of a refused {@code tools/call}, for the audit trail; may be {@code null}
	 */
	public JsonRpcRequestFilter(RequestMatcher mcpEndpoints, long maxBytes,
			Supplier<? extends Collection<String>> protocolVersions, RefusedToolCallReporter refusals) {
		this.mcpEndpoints = mcpEndpoints;
		this.maxBytes = maxBytes;
		this.protocolVersions = protocolVersions;
		this.refusals = refusals;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.mcpEndpoints.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (!HttpMethod.POST.matches(request.getMethod())) {
			if (protocolVersionServed(request)) {
				chain.doFilter(request, response);
			}
			else {
				refuseProtocolVersion(response, null);
			}
			return;
		}
		JsonRpcBody body = JsonRpcBody.of(request, this.maxBytes);
		if (body.bytes() == null) {
			JsonResponses.writeJsonRpcError(response, HttpStatus.PAYLOAD_TOO_LARGE.value(), null, INVALID_REQUEST,
					"Request body exceeds " + this.maxBytes + " bytes");
			return;
		}
		JsonNode message = body.message();
		if (message == null) {
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
			JsonResponses.writeJsonRpcError(response, HttpStatus.BAD_REQUEST.value(), JsonRpcMessages.idOf(message), problem.code(),
					problem.message());
			return;
		}
		if (!protocolVersionServed(request)) {
			refuseProtocolVersion(response, JsonRpcMessages.idOf(message));
			return;
		}
		String mismatch = headerMismatch(request, message);
		if (mismatch != null) {
			JsonResponses.writeJsonRpcError(response, HttpStatus.BAD_REQUEST.value(), JsonRpcMessages.idOf(message), HEADER_MISMATCH,
					"Header mismatch: " + mismatch + " does not match the body");
			return;
		}
		request.setAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE, message);
		request.setAttribute(JsonRpcMessages.BODY_ATTRIBUTE, body.text());
		chain.doFilter(new CachedBodyRequest(request, body.bytes()), response);
	}

	/** No header, or one naming a revision the transport serves (each header of the name, if several). */
	private boolean protocolVersionServed(HttpServletRequest request) {
		List<String> named = Collections.list(request.getHeaders(PROTOCOL_VERSION_HEADER));
		return named.isEmpty() || this.protocolVersions.get().containsAll(named);
	}

	private static void refuseProtocolVersion(HttpServletResponse response, Object id) throws IOException {
		JsonResponses.writeJsonRpcError(response, HttpStatus.BAD_REQUEST.value(), id, JsonResponses.SERVER_ERROR,
				"Unsupported protocol version: MCP-Protocol-Version names a revision this server does not serve");
	}

	/**
	 * The header that contradicts the body, or {@code null}. {@code Mcp-Method} must be the body's
	 * method; {@code Mcp-Name} the name of the tool or prompt, or the uri of the resource, the body
	 * names. A header sent twice must agree both times.
	 */
	static String headerMismatch(HttpServletRequest request, JsonNode message) {
		List<String> methods = Collections.list(request.getHeaders(METHOD_HEADER));
		String method = message.path("method").isString() ? message.path("method").asString() : null;
		if (!methods.isEmpty() && (method == null || methods.stream().anyMatch((header) -> !header.equals(method)))) {
			return METHOD_HEADER;
		}
		List<String> names = Collections.list(request.getHeaders(NAME_HEADER));
		String name = (method != null) ? nameOf(method, message.path("params")) : null;
		if (!names.isEmpty() && (name == null || names.stream().anyMatch((header) -> !header.equals(name)))) {
			return NAME_HEADER;
		}
		return null;
	}

	/** What {@code Mcp-Name} stands for in a request of this method; {@code null} when nothing. */
	private static String nameOf(String method, JsonNode params) {
		String field = switch (method) {
			case "tools/call", "prompts/get" -> "name";
			case "resources/read", "resources/subscribe", "resources/unsubscribe" -> "uri";
			default -> null;
		};
		return (field != null && params.path(field).isString()) ? params.path(field).asString() : null;
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
		if (id != null && !(id.isString() || (id.isIntegralNumber() && id.canConvertToLong()) || id.isNull())) {
			return new Problem(INVALID_REQUEST, "Invalid request: id must be a string or an integer that fits 64 bits");
		}
		JsonNode method = message.get("method");
		if (method != null && id != null && id.isNull()) {
			return new Problem(INVALID_REQUEST, "Invalid request: a request's id must not be null");
		}
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
			case "prompts/get" -> needsText(params, "name", "prompts/get needs the prompt name");
			case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
				needsText(params, "uri", "resources requests need the resource uri");
			case "completion/complete" -> checkCompletion(params);
			default -> null;
		};
	}

	private static Problem needsText(JsonNode params, String field, String what) {
		return (params != null && params.path(field).isString()) ? null
				: new Problem(INVALID_PARAMS, "Invalid params: " + what);
	}

	/** The reference and argument the SDK's completion handler reads without checking. */
	private static Problem checkCompletion(JsonNode params) {
		JsonNode ref = (params != null) ? params.path("ref") : null;
		boolean refValid = ref != null && switch (ref.path("type").asString("")) {
			case "ref/prompt" -> ref.path("name").isString();
			case "ref/resource" -> ref.path("uri").isString();
			default -> false;
		};
		JsonNode argument = (params != null) ? params.path("argument") : null;
		if (!refValid || !argument.path("name").isString() || !argument.path("value").isString()) {
			return new Problem(INVALID_PARAMS, "Invalid params: completion/complete needs a ref/prompt with a name "
					+ "or a ref/resource with a uri, and an argument with a name and a value");
		}
		return null;
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
