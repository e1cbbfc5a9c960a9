package dev.mcpgovernance.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * A tool as a one-line Python-style signature, the densest form a language model reads well:
 * {@code get_order(order_id: str, include_items: bool = False) -> dict  # Get an order.}
 */
final class PythonSignatures {

	private PythonSignatures() {
	}

	static String of(CatalogTool catalogTool) {
		Tool tool = catalogTool.tool();
		List<String> parameters = new ArrayList<>();
		Map<String, Object> schema = tool.inputSchema();
		Map<?, ?> properties = (schema.get("properties") instanceof Map<?, ?> map) ? map : Map.of();
		List<?> required = (schema.get("required") instanceof List<?> list) ? list : List.of();
		// Python wants parameters without a default first.
		properties.forEach((name, property) -> {
			if (required.contains(name)) {
				parameters.add(name + ": " + type(property));
			}
		});
		properties.forEach((name, property) -> {
			if (!required.contains(name)) {
				parameters.add(name + ": " + type(property) + " = " + defaultOf(property));
			}
		});
		String returns = (tool.outputSchema() != null) ? type(tool.outputSchema()) : "Any";
		String summary = catalogTool.summary();
		return tool.name() + "(" + String.join(", ", parameters) + ") -> " + returns
				+ (summary.isEmpty() ? "" : "  # " + summary);
	}

	private static String type(Object property) {
		if (!(property instanceof Map<?, ?> schema)) {
			return "Any";
		}
		if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
			return "Literal[" + String.join(", ", values.stream().map(PythonSignatures::literal).toList()) + "]";
		}
		Object type = schema.get("type");
		if (type instanceof List<?> types) {
			List<String> names = types.stream().map((each) -> simpleType(String.valueOf(each), schema)).distinct().toList();
			return String.join(" | ", names);
		}
		return (type != null) ? simpleType(type.toString(), schema) : "Any";
	}

	private static String simpleType(String type, Map<?, ?> schema) {
		return switch (type) {
			case "string" -> "str";
			case "integer" -> "int";
			case "number" -> "float";
			case "boolean" -> "bool";
			case "null" -> "None";
			case "object" -> "dict";
			case "array" -> (schema.get("items") != null) ? "list[" + type(schema.get("items")) + "]" : "list";
			default -> "Any";
		};
	}

	private static String defaultOf(Object property) {
		if (property instanceof Map<?, ?> schema && schema.containsKey("default")) {
			return literal(schema.get("default"));
		}
		return "None";
	}

	private static String literal(Object value) {
		if (value == null) {
			return "None";
		}
		if (value instanceof Boolean bool) {
			return bool ? "True" : "False";
		}
		if (value instanceof Number) {
			return value.toString();
		}
		if (value instanceof String text) {
			return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}
		return "...";
	}

}
