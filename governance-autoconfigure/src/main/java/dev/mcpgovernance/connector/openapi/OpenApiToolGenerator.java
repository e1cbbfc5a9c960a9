package dev.mcpgovernance.connector.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;

import org.springframework.http.HttpMethod;
import org.springframework.util.StringUtils;

/**
 * Turns the operations a connector includes into {@link OperationTool}s, refusing at start-up
 * what must not be exposed: an operationId the spec does not have, a mutation without
 * {@code allow-mutations}, a parameter in a header the transport owns, a cookie parameter.
 *
 * <p>Scopes are derived as {@code <domain>:<resource>:<action>}: the resource is the operation's
 * first tag (else its first literal path segment), lower-cased with every character outside the
 * scope grammar replaced by {@code -}; the action is {@code read} for GET and HEAD, {@code write}
 * for the rest. A connector's {@code scopes} entry overrides both.
 */
final class OpenApiToolGenerator {

	private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");

	private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

	// Headers that belong to the transport or to authentication: a caller must never set them.
	private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
			"set-cookie", "host", "connection", "content-length", "content-type", "transfer-encoding", "te", "trailer",
			"upgrade", "keep-alive", "proxy-connection", "forwarded", "x-forwarded-for", "x-forwarded-host",
			"x-forwarded-proto", "x-real-ip", "accept");

	private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	// Keywords of OpenAPI's schema dialect that JSON Schema does not know.
	private static final Set<String> OPENAPI_ONLY_KEYWORDS = Set.of("xml", "example", "externalDocs", "discriminator",
			"nullable", "exampleSetFlag");

	private OpenApiToolGenerator() {
	}

	static List<OperationTool> generate(OpenApiConnector connector, OpenAPI api, String domain) {
		Map<String, Located> operations = operationsById(api);
		ObjectMapper schemaMapper = (api.getSpecVersion() == SpecVersion.V31) ? Json31.mapper() : Json.mapper();
		List<OperationTool> tools = new ArrayList<>();
		for (String operationId : connector.include()) {
			Located located = operations.get(operationId);
			if (located == null) {
				throw new GovernanceConfigurationException(
						"Connector '" + connector.name() + "' includes operation '" + operationId
								+ "', which its spec does not have.",
						"Use an operationId of " + connector.spec() + ", e.g. one of "
								+ operations.keySet().stream().sorted().limit(10).toList() + ".");
			}
			tools.add(toTool(connector, domain, located, schemaMapper));
		}
		return tools;
	}

	private static OperationTool toTool(OpenApiConnector connector, String domain, Located located,
			ObjectMapper schemaMapper) {
		Operation operation = located.operation();
		String operationId = operation.getOperationId();
		String where = "operation '" + operationId + "' (" + located.method() + " " + located.path() + ") of connector '"
				+ connector.name() + "'";
		boolean mutation = WRITE_METHODS.contains(located.method());
		if (!mutation && !READ_METHODS.contains(located.method())) {
			throw new GovernanceConfigurationException("The " + where + " uses a method connectors do not support.",
					"Remove " + operationId + " from include.");
		}
		if (mutation && !connector.allowMutations()) {
			throw new GovernanceConfigurationException(
					"The " + where + " changes data, and the connector does not allow mutations.",
					"Set mcp.governance.openapi.connectors." + connector.name()
							+ ".allow-mutations=true (or allowMutations(true)), or remove " + operationId + " from include.");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		List<String> required = new ArrayList<>();
		List<OperationTool.Parameter> parameters = new ArrayList<>();
		for (Parameter parameter : parametersOf(located)) {
			OperationTool.Location in = location(parameter, where);
			String name = parameter.getName();
			if (properties.containsKey(name) || OperationTool.BODY.equals(name)) {
				throw new GovernanceConfigurationException(
						"The " + where + " has two arguments named '" + name + "'.",
						"Remove " + operationId + " from include; connectors need distinct parameter names.");
			}
			Map<String, Object> schema = toJsonSchema(parameter.getSchema(), schemaMapper);
			if (StringUtils.hasText(parameter.getDescription())) {
				schema.putIfAbsent("description", parameter.getDescription());
			}
			properties.put(name, schema);
			boolean isRequired = in == OperationTool.Location.PATH || Boolean.TRUE.equals(parameter.getRequired());
			if (isRequired) {
				required.add(name);
			}
			parameters.add(new OperationTool.Parameter(name, in, isRequired));
		}
		Boolean bodyRequired = body(operation.getRequestBody(), where, properties, required, schemaMapper);
		Map<String, Object> inputSchema = new LinkedHashMap<>();
		inputSchema.put("type", "object");
		inputSchema.put("properties", properties);
		inputSchema.put("required", required);
		inputSchema.put("additionalProperties", false);
		String toolName = connector.names().getOrDefault(operationId, operationId);
		if (!TOOL_NAME.matcher(toolName).matches()) {
			throw new GovernanceConfigurationException(
					"The " + where + " would be the tool '" + toolName + "', which is not a valid tool name.",
					"Rename it with mcp.governance.openapi.connectors." + connector.name() + ".names." + operationId
							+ " (letters, digits, _ . -).");
		}
		return new OperationTool(connector.name(), toolName, operationId, HttpMethod.valueOf(located.method()),
				located.path(), parameters, bodyRequired, scope(connector, domain, located, where), mutation, inputSchema,
				description(operation));
	}

	private static Boolean body(RequestBody requestBody, String where, Map<String, Object> properties,
			List<String> required, ObjectMapper schemaMapper) {
		if (requestBody == null || requestBody.getContent() == null) {
			return null;
		}
		MediaType json = null;
		for (Map.Entry<String, MediaType> entry : requestBody.getContent().entrySet()) {
			String type = entry.getKey().toLowerCase(Locale.ROOT);
			if (type.startsWith("application/json") || type.endsWith("+json")) {
				json = entry.getValue();
				break;
			}
		}
		boolean isRequired = Boolean.TRUE.equals(requestBody.getRequired());
		if (json == null) {
			if (isRequired) {
				throw new GovernanceConfigurationException("The " + where + " takes a body that is not JSON.",
						"Remove it from include: connectors send JSON bodies only.");
			}
			return null;
		}
		Map<String, Object> schema = toJsonSchema(json.getSchema(), schemaMapper);
		if (StringUtils.hasText(requestBody.getDescription())) {
			schema.putIfAbsent("description", requestBody.getDescription());
		}
		properties.put(OperationTool.BODY, schema);
		if (isRequired) {
			required.add(OperationTool.BODY);
		}
		return isRequired;
	}

	private static OperationTool.Location location(Parameter parameter, String where) {
		String in = String.valueOf(parameter.getIn()).toLowerCase(Locale.ROOT);
		return switch (in) {
			case "path" -> OperationTool.Location.PATH;
			case "query" -> OperationTool.Location.QUERY;
			case "header" -> {
				if (RESERVED_HEADERS.contains(parameter.getName().toLowerCase(Locale.ROOT))) {
					throw new GovernanceConfigurationException(
							"The " + where + " takes header '" + parameter.getName()
									+ "' as a parameter; a caller must never set it.",
							"Remove the operation from include, or authenticate with the connector's auth settings.");
				}
				yield OperationTool.Location.HEADER;
			}
			default -> throw new GovernanceConfigurationException(
					"The " + where + " takes a parameter in '" + in + "', which connectors do not send.",
					"Remove the operation from include.");
		};
	}

	private static Scope scope(OpenApiConnector connector, String domain, Located located, String where) {
		String override = connector.scopes().get(located.operation().getOperationId());
		try {
			if (override != null) {
				String[] parts = override.split(":", -1);
				return (parts.length == 2) ? Scope.required(domain, parts[0], parts[1])
						: Scope.required(Scope.parse(override).domain(), parts[1], parts[2]);
			}
			String action = READ_METHODS.contains(located.method()) ? "read" : "write";
			return Scope.required(domain, resource(located), action);
		}
		catch (MalformedScopeException ex) {
			throw new GovernanceConfigurationException(
					"The scope of the " + where + " is malformed: " + ex.reason() + ".",
					"Set mcp.governance.openapi.connectors." + connector.name() + ".scopes." + located.operation().getOperationId()
							+ " to resource:action, e.g. pet:read.");
		}
	}

	/** The first tag, else the first literal path segment, in the scope grammar. */
	static String resource(Located located) {
		List<String> tags = located.operation().getTags();
		String raw = (tags != null && !tags.isEmpty()) ? tags.get(0) : firstSegment(located.path());
		String normalized = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-").replaceAll("^[^a-z]+", "");
		if (normalized.length() > 63) {
			normalized = normalized.substring(0, 63);
		}
		return normalized.isEmpty() ? "api" : normalized;
	}

	private static String firstSegment(String path) {
		for (String segment : path.split("/")) {
			if (!segment.isEmpty() && !segment.startsWith("{")) {
				return segment;
			}
		}
		return "";
	}

	private static String description(Operation operation) {
		String summary = StringUtils.hasText(operation.getSummary()) ? operation.getSummary().trim() : "";
		String details = StringUtils.hasText(operation.getDescription()) ? operation.getDescription().trim() : "";
		if (summary.isEmpty() || details.isEmpty() || details.equals(summary)) {
			return summary.isEmpty() ? details : summary;
		}
		return summary.endsWith(".") ? summary + " " + details : summary + ". " + details;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> toJsonSchema(Schema<?> schema, ObjectMapper schemaMapper) {
		if (schema == null) {
			return new LinkedHashMap<>(Map.of("type", "string"));
		}
		Map<String, Object> map = schemaMapper.convertValue(schema, LinkedHashMap.class);
		return (Map<String, Object>) withoutOpenApiKeywords(map);
	}

	private static Object withoutOpenApiKeywords(Object node) {
		if (node instanceof Map<?, ?> map) {
			Map<String, Object> cleaned = new LinkedHashMap<>();
			map.forEach((key, value) -> {
				if (!OPENAPI_ONLY_KEYWORDS.contains(String.valueOf(key))) {
					cleaned.put(String.valueOf(key), withoutOpenApiKeywords(value));
				}
			});
			return cleaned;
		}
		if (node instanceof List<?> list) {
			return list.stream().map(OpenApiToolGenerator::withoutOpenApiKeywords).toList();
		}
		return node;
	}

	private static List<Parameter> parametersOf(Located located) {
		// Operation-level parameters override path-level ones of the same name and location.
		Map<String, Parameter> merged = new LinkedHashMap<>();
		for (List<Parameter> level : List.of(nullSafe(located.pathItem().getParameters()),
				nullSafe(located.operation().getParameters()))) {
			for (Parameter parameter : level) {
				merged.put(parameter.getIn() + ":" + parameter.getName(), parameter);
			}
		}
		return new ArrayList<>(merged.values());
	}

	private static List<Parameter> nullSafe(List<Parameter> parameters) {
		return (parameters != null) ? parameters : List.of();
	}

	private static Map<String, Located> operationsById(OpenAPI api) {
		Map<String, Located> operations = new LinkedHashMap<>();
		if (api.getPaths() == null) {
			return operations;
		}
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			if (operation.getOperationId() != null) {
				operations.put(operation.getOperationId(), new Located(path, method.name(), item, operation));
			}
		}));
		return operations;
	}

	/** An operation with where it sits in the spec. */
	record Located(String path, String method, PathItem pathItem, Operation operation) {
	}

}
