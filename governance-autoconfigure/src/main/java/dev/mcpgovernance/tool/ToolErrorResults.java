package dev.mcpgovernance.tool;

import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/** Writes a {@link ToolError} as an MCP result: {@code isError}, structured content and the same JSON as text. */
public final class ToolErrorResults {

	private static final ObjectMapper JSON = new ObjectMapper();

	private ToolErrorResults() {
	}

	public static CallToolResult toResult(ToolError error) {
		Map<String, Object> envelope = error.toMap();
		return CallToolResult.builder()
			.isError(true)
			.addTextContent(toJson(envelope))
			.structuredContent(envelope)
			.build();
	}

	private static String toJson(Map<String, Object> envelope) {
		try {
			return JSON.writeValueAsString(envelope);
		}
		catch (JacksonException ex) {
			// Details are plain strings and numbers; this cannot happen with the envelopes built here.
			throw new IllegalStateException("Unserializable tool error envelope", ex);
		}
	}

}
