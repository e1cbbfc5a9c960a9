package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a call's arguments against the whole of the tool's input schema (nested fields, enums,
 * patterns, {@code allOf}, {@code if}/{@code then}, {@code $ref}s) with the JSON Schema validator the
 * MCP SDK itself uses (networknt). The MCP SDK would run the same check before governance; the
 * governor runs it after the scope check, with the error envelope and an audit record. The message
 * names the field and the rule it breaks, never the value. Remote {@code $ref}s are never fetched: a
 * schema (an upstream's, say) must not make this server send requests.
 */
final class SchemaCheck {

	private static final Log logger = LogFactory.getLog(SchemaCheck.class);

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			(registry) -> registry
				.schemaLoader((loader) -> loader.fetchRemoteResources(false).block(SchemaCheck::isRemote)));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Compiled once per schema object (by identity, so a tool re-listed with a new schema is compiled
	 * anew). Its upkeep runs on the calling thread: handed to the common pool, it woke a pool thread
	 * every few calls (issue 23).
	 */
	private static final Cache<Map<String, Object>, Optional<Schema>> SCHEMAS = Caffeine.newBuilder()
		.executor(Runnable::run)
		.weakKeys()
		.maximumSize(10_000)
		.build();

	private SchemaCheck() {
	}

	/** The first problem with the arguments, or {@code null}. */
	static ToolError check(Map<String, Object> inputSchema, Map<String, Object> arguments) {
		Schema schema = SCHEMAS.get(inputSchema, SchemaCheck::compile).orElse(null);
		if (schema == null) {
			return null;
		}
		List<Error> errors;
		try {
			errors = schema.validate(JSON.valueToTree(arguments));
		}
		catch (RuntimeException ex) {
			// A $ref this server does not resolve (a remote one): as for a schema it cannot read.
			logger.warn("A tool's input schema could not be checked whole (" + ex.getClass().getName()
					+ "); its calls get the top-level argument check only");
			return null;
		}
		if (errors.isEmpty()) {
			return null;
		}
		Error error = errors.get(0);
		String at = path(error.getInstanceLocation());
		String keyword = String.valueOf(error.getKeyword());
		if (at.isEmpty() && error.getProperty() == null) {
			return new ToolError(ToolErrorCode.INVALID_INPUT,
					"The arguments break the rule '" + keyword + "' of the tool's input schema.", Map.of());
		}
		return switch (keyword) {
			case "required" -> invalid(join(at, error.getProperty()), "is required.");
			case "additionalProperties" -> invalid(join(at, error.getProperty()), "is not known to this tool.");
			case "type" -> invalid(at, "must be of type " + error.getSchemaNode() + ".");
			case "enum" -> invalid(at, "must be one of " + error.getSchemaNode() + ".");
			default -> invalid(at, "breaks the rule '" + keyword + "' of its schema.");
		};
	}

	/**
	 * A schema the validator cannot read is left to the top-level check and the handler, as before
	 * the MCP SDK checked whole schemas, rather than making the tool uncallable.
	 */
	private static Optional<Schema> compile(Map<String, Object> inputSchema) {
		try {
			return Optional.of(REGISTRY.getSchema(JSON.valueToTree(inputSchema)));
		}
		catch (RuntimeException ex) {
			logger.warn("A tool's input schema cannot be read by the JSON Schema validator (" + ex.getClass().getName()
					+ "); its calls get the top-level argument check only");
			return Optional.empty();
		}
	}

	/** Any document outside the schema itself, except the JSON Schema dialects the validator carries. */
	private static boolean isRemote(AbsoluteIri iri) {
		String text = iri.toString();
		return !text.startsWith("https://json-schema.org/") && !text.startsWith("http://json-schema.org/");
	}

	private static ToolError invalid(String field, String rule) {
		return new ToolError(ToolErrorCode.INVALID_INPUT, "Argument '" + field + "' " + rule, Map.of("field", field));
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
