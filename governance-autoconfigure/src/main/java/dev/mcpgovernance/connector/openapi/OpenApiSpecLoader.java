package dev.mcpgovernance.connector.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.mcpgovernance.GovernanceConfigurationException;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Reads an OpenAPI 3.x document from a {@code classpath:}, {@code file:} or http(s) location, with
 * every {@code $ref} resolved in place (swagger-parser), so that a generated tool's schema is
 * complete in itself.
 */
final class OpenApiSpecLoader {

	private OpenApiSpecLoader() {
	}

	static OpenAPI load(ResourceLoader resourceLoader, String connector, String location) {
		Resource resource = resourceLoader.getResource(location);
		String text;
		try (InputStream in = resource.getInputStream()) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new GovernanceConfigurationException(
					"The OpenAPI spec of connector '" + connector + "' cannot be read from " + location + ".",
					"Point mcp.governance.openapi.connectors." + connector + ".spec at a classpath:, file: or http(s) location.");
		}
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setResolveFully(true);
		SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
		OpenAPI api = result.getOpenAPI();
		if (api == null || api.getOpenapi() == null || !api.getOpenapi().startsWith("3.")) {
			List<String> messages = (result.getMessages() != null) ? result.getMessages() : List.of();
			throw new GovernanceConfigurationException(
					"The document at " + location + " (connector '" + connector + "') is not an OpenAPI 3.x spec"
							+ (messages.isEmpty() ? "." : ": " + String.join("; ", messages.stream().limit(3).toList())),
					"Give the connector an OpenAPI 3.0 or 3.1 document (JSON or YAML).");
		}
		return api;
	}

}
