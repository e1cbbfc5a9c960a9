package dev.mcpgovernance.connector.openapi;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.mcpgovernance.tool.InvalidInput;

/**
 * Checks a call's arguments against the whole of a generated tool's input schema (nested body
 * fields, enums, formats the governor's top-level check does not see) before anything is sent
 * upstream. The message names the field and the rule it breaks, never the value.
 */
final class ArgumentValidator {

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final Schema schema;

	private final ObjectMapper objectMapper;

	ArgumentValidator(Map<String, Object> inputSchema, ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
		this.schema = REGISTRY.getSchema(objectMapper.valueToTree(inputSchema));
	}

	/** @throws InvalidInput naming the first field at fault */
	void check(Map<String, Object> arguments) {
		JsonNode node = this.objectMapper.valueToTree((arguments != null) ? arguments : Map.of());
		List<Error> errors = this.schema.validate(node);
		if (errors.isEmpty()) {
			return;
		}
		Error error = errors.get(0);
		String at = path(error.getInstanceLocation());
		String keyword = String.valueOf(error.getKeyword());
		switch (keyword) {
			case "required" -> {
				String field = join(at, error.getProperty());
				throw new InvalidInput(field, "Argument '" + field + "' is required.");
			}
			case "additionalProperties" -> {
				String field = join(at, error.getProperty());
				throw new InvalidInput(field, "Argument '" + field + "' is not known to this tool.");
			}
			case "type" -> throw new InvalidInput(at,
					"Argument '" + at + "' must be of type " + error.getSchemaNode() + ".");
			case "enum" -> throw new InvalidInput(at, "Argument '" + at + "' must be one of " + error.getSchemaNode() + ".");
			default -> throw new InvalidInput(at, "Argument '" + at + "' breaks the rule '" + keyword + "' of its schema.");
		}
	}

	private static String path(NodePath location) {
		StringBuilder path = new StringBuilder();
		for (int i = 0; i < location.getNameCount(); i++) {
			Object element = location.getElement(i);
			if (element instanceof Integer index) {
				path.append('[').append(index).append(']');
			}
			else {
				path.append(path.isEmpty() ? "" : ".").append(element);
			}
		}
		return path.toString();
	}

	private static String join(String at, String property) {
		if (property == null) {
			return at;
		}
		return at.isEmpty() ? property : at + "." + property;
	}

}
