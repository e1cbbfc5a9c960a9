package dev.mcpgovernance.tool;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Checks a call's arguments against the tool's input schema before the handler runs, after the
 * scope check. First the top level, with a message that names the field: every required argument
 * present, every given argument of its declared JSON type (without it, a wrong type fails inside the
 * tool library's conversion and could only be reported as an internal error). Then the whole schema
 * ({@link SchemaCheck}). Messages never carry a value.
 */
final class ArgumentCheck {

	private ArgumentCheck() {
	}

	/** The first problem with the arguments, or {@code null}. */
	static ToolError check(Map<String, Object> schema, Map<String, Object> arguments) {
		if (schema == null) {
			return null;
		}
		Map<String, Object> given = (arguments != null) ? arguments : Map.of();
		List<?> required = (schema.get("required") instanceof List<?> list) ? list : List.of();
		for (Object entry : required) {
			if (entry instanceof String field && given.get(field) == null) {
				return invalid(field, "Argument '" + field + "' is required.");
			}
		}
		Map<?, ?> properties = (schema.get("properties") instanceof Map<?, ?> map) ? map : Map.of();
		ToolError topLevel = checkTypes(properties, given);
		return (topLevel != null || schema.isEmpty()) ? topLevel : SchemaCheck.check(schema, given);
	}

	private static ToolError checkTypes(Map<?, ?> properties, Map<String, Object> given) {
		for (Map.Entry<String, Object> argument : given.entrySet()) {
			if (!(properties.get(argument.getKey()) instanceof Map<?, ?> property)
					|| !(property.get("type") instanceof String type) || argument.getValue() == null) {
				continue;
			}
			if (!hasType(argument.getValue(), type)) {
				return invalid(argument.getKey(), "Argument '" + argument.getKey() + "' must be of type " + type + ".");
			}
		}
		return null;
	}

	private static boolean hasType(Object value, String type) {
		return switch (type) {
			case "string" -> value instanceof String;
			case "boolean" -> value instanceof Boolean;
			case "number" -> value instanceof Number;
			case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger
					|| (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue()));
			case "array" -> value instanceof List<?>;
			case "object" -> value instanceof Map<?, ?>;
			// Types this check does not know are left to the handler.
			default -> true;
		};
	}

	private static ToolError invalid(String field, String message) {
		return new ToolError(ToolErrorCode.INVALID_INPUT, message, Map.of("field", field));
	}

}
