package dev.mcpgovernance.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The small JSON bodies the filters answer with: an error envelope or a JSON-RPC error. */
public final class JsonResponses {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** JSON-RPC's internal error. */
	public static final int INTERNAL_ERROR = -32603;

	/** The implementation-defined server error the MCP reference servers answer transport refusals with. */
	public static final int SERVER_ERROR = -32000;

	/** The MCP reference servers' code for an unknown or expired session. */
	public static final int SESSION_NOT_FOUND = -32001;

	private JsonResponses() {
	}

	/** {@code {"error_code": …, "message": …}}: the same envelope a tool error carries. */
	public static void writeError(HttpServletResponse response, int status, String errorCode, String message)
			throws IOException {
		writeError(response, status, errorCode, message, null);
	}

	/** The envelope with {@code details}, as a tool error carries them. */
	public static void writeError(HttpServletResponse response, int status, String errorCode, String message,
			Map<String, Object> details) throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error_code", errorCode);
		body.put("message", message);
		if (details != null) {
			body.put("details", details);
		}
		write(response, status, body);
	}

	/** A JSON-RPC 2.0 error response; {@code id} is {@code null} when the request's id could not be read. */
	public static void writeJsonRpcError(HttpServletResponse response, int status, Object id, int code, String message)
			throws IOException {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code);
		error.put("message", message);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("jsonrpc", "2.0");
		body.put("id", id);
		body.put("error", error);
		write(response, status, body);
	}

	/**
	 * The JSON-RPC error for an HTTP status the MCP endpoint answers at the transport level: a fixed
	 * text per status, so that no exception message, class name or piece of the request (a session
	 * id, a header value) ever reaches the caller. 5xx other than 503 read as the internal error.
	 */
	public static void writeTransportError(HttpServletResponse response, int status, Object id) throws IOException {
		writeJsonRpcError(response, status, id, (status >= 500 && status != 503) ? INTERNAL_ERROR : SERVER_ERROR,
				transportErrorMessage(status));
	}

	/** The session-not-found error, the same whichever layer finds the session unknown. */
	public static void writeSessionNotFound(HttpServletResponse response, Object id) throws IOException {
		writeJsonRpcError(response, HttpStatus.NOT_FOUND.value(), id, SESSION_NOT_FOUND, "Session not found");
	}

	private static String transportErrorMessage(int status) {
		if (status >= 500 && status != 503) {
			return "Internal error";
		}
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() : "Request refused";
	}

	private static void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		JSON.writeValue(response.getOutputStream(), body);
	}

}
