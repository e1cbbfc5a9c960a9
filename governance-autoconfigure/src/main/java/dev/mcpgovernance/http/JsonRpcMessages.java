package dev.mcpgovernance.http;

import tools.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The JSON-RPC message of an MCP request, once the security chain's JSON-RPC filter has read and
 * checked it: every later filter (session binding, scope step-up, the error rewriting) reads it from
 * the request instead of parsing the body again.
 */
public final class JsonRpcMessages {

	/** Request attribute holding the checked JSON-RPC message (a Jackson {@code JsonNode}), so it is parsed once. */
	public static final String MESSAGE_ATTRIBUTE = JsonRpcMessages.class.getName() + ".message";

	/**
	 * Request attribute holding the body text the message was parsed from, so that the transport's
	 * JSON mapper can recognise the same text and take the parsed message instead of parsing it again.
	 */
	public static final String BODY_ATTRIBUTE = JsonRpcMessages.class.getName() + ".body";

	private JsonRpcMessages() {
	}

	/** The id of the request whose body was checked, when it is a valid one; else {@code null}. */
	public static Object requestId(HttpServletRequest request) {
		return (request.getAttribute(MESSAGE_ATTRIBUTE) instanceof JsonNode message) ? idOf(message) : null;
	}

	/** The request's id when it is a valid one, so the client can match the error to its request. */
	public static Object idOf(JsonNode message) {
		JsonNode id = message.path("id");
		if (id.isString()) {
			return id.asString("");
		}
		return (id.isIntegralNumber() && id.canConvertToLong()) ? id.longValue() : null;
	}

}
