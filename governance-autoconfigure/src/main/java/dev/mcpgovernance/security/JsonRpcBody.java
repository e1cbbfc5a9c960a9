package dev.mcpgovernance.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The body of an MCP POST, read (bounded) and parsed once, by whichever filter needs it first: the
 * per-caller limit (to take a tool call's buckets with the request's), the JSON-RPC check, or the
 * report of a refused tool call. The request keeps it as an attribute, since its stream can be read
 * only once.
 *
 * @param bytes the body; {@code null} when it is larger than the bound (then it was not read in full)
 * @param text the body as strict UTF-8; {@code null} when it is not UTF-8 or too large
 * @param message the parsed JSON; {@code null} when the body is not JSON (or not UTF-8, or too large)
 */
record JsonRpcBody(byte[] bytes, String text, JsonNode message) {

	private static final String ATTRIBUTE = JsonRpcBody.class.getName();

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The request's body, read now unless a filter before read it already. */
	static JsonRpcBody of(HttpServletRequest request, long maxBytes) throws IOException {
		if (request.getAttribute(ATTRIBUTE) instanceof JsonRpcBody read) {
			return read;
		}
		byte[] bytes = readBounded(request, maxBytes);
		String text = null;
		JsonNode message = null;
		if (bytes != null) {
			try {
				text = strictUtf8(bytes);
				message = JSON.readTree(text);
			}
			catch (JacksonException | CharacterCodingException ex) {
				text = null;
				message = null;
			}
		}
		JsonRpcBody body = new JsonRpcBody(bytes, text,
				(message != null && !message.isMissingNode()) ? message : null);
		request.setAttribute(ATTRIBUTE, body);
		return body;
	}

	/** The tool a {@code tools/call} names, when the body is one with a name; else {@code null}. */
	String toolCallName() {
		if (this.message == null || !this.message.isObject()
				|| !"tools/call".equals(this.message.path("method").asString(""))) {
			return null;
		}
		JsonNode name = this.message.path("params").path("name");
		return name.isString() ? name.asString() : null;
	}

	private static byte[] readBounded(HttpServletRequest request, long maxBytes) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > maxBytes) {
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			// With a declared length the container ends the stream there: read exactly that, rather than
			// into the growing buffers of an open-ended read (which allocated several times the body).
			int limit = (declared >= 0) ? (int) declared : (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1);
			byte[] body = in.readNBytes(limit);
			return (body.length > maxBytes) ? null : body;
		}
	}

	private static String strictUtf8(byte[] body) throws CharacterCodingException {
		return StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(body))
			.toString();
	}

}
