package dev.mcpgovernance.tool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.mcpgovernance.scope.Scope;

/**
 * The error envelope of a failed tool call: {@code {"error_code", "message", "details"}}. The
 * message and details are written for the caller; they never carry a stack trace, a class name or
 * SQL text.
 */
public record ToolError(ToolErrorCode code, String message, Map<String, Object> details) {

	public ToolError {
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(message, "message");
		details = (details != null) ? Map.copyOf(details) : Map.of();
	}

	public static ToolError of(ToolErrorCode code, String message) {
		return new ToolError(code, message, Map.of());
	}

	/** The refusal of a caller who lacks the scope a tool requires; {@code details.required_scope} names it. */
	public static ToolError missingScope(String toolName, Scope required) {
		String tool = (toolName != null) ? "Tool '" + toolName + "'" : "This tool";
		return new ToolError(ToolErrorCode.FORBIDDEN,
				tool + " requires scope " + required + ", which the caller does not hold.",
				Map.of("required_scope", required.toString()));
	}

	/** The envelope as the structured content of a CallToolResult, keys in a stable order. */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("error_code", this.code.wireName());
		map.put("message", this.message);
		map.put("details", new LinkedHashMap<>(this.details));
		return map;
	}

}
