package dev.mcpgovernance.connector.openapi;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.scope.Scope;

import org.springframework.http.HttpMethod;

/**
 * One OpenAPI operation as a governed tool: where it is called, which arguments go where, the
 * scope it requires and the JSON schema its arguments are checked against.
 *
 * @param connector the connector's name
 * @param toolName the MCP tool name
 * @param operationId the operation's id in the spec
 * @param method the HTTP method
 * @param pathTemplate the path as the spec writes it, e.g. {@code /pet/{petId}}
 * @param parameters the path, query and header parameters, each an argument of the same name
 * @param bodyRequired whether the JSON body (argument {@code body}) is required; {@code null} when the
 * operation takes no JSON body
 * @param scope the scope a caller needs
 * @param mutation whether the method changes state (POST, PUT, PATCH, DELETE)
 * @param inputSchema the JSON schema of the arguments
 * @param description what the tool does, from the spec's summary and description
 */
public record OperationTool(String connector, String toolName, String operationId, HttpMethod method,
		String pathTemplate, List<Parameter> parameters, Boolean bodyRequired, Scope scope, boolean mutation,
		Map<String, Object> inputSchema, String description) {

	/** The argument that carries the JSON request body. */
	public static final String BODY = "body";

	public OperationTool {
		parameters = List.copyOf(parameters);
		inputSchema = Map.copyOf(inputSchema);
	}

	/** Whether the operation takes a JSON body. */
	public boolean hasBody() {
		return this.bodyRequired != null;
	}

	/** A path, query or header parameter of the operation. */
	public record Parameter(String name, Location in, boolean required) {
	}

	public enum Location {

		PATH, QUERY, HEADER

	}

}
