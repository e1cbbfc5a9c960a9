package dev.mcpgovernance.gateway;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstreams the gateway's MCP client found hard before: one whose streamable-HTTP answers are SSE
 * streams with {@code retry:} and {@code id:} lines (as the MCP conformance suite's reference server
 * sends), and tools whose schemas use the JSON Schema keywords beyond {@code type} and
 * {@code properties}. The upstream is listed and called, and a client of the gateway sees each
 * schema exactly as the upstream wrote it.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:gateway-compatibility;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h", "resilience4j.retry.instances.upstream-devices.max-attempts=1" })
class GatewayUpstreamCompatibilityIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Draft 2020-12, with $defs, $anchor, $ref, allOf, if/then/else, const, pattern, uniqueItems. */
	@SuppressWarnings("unchecked")
	static final Map<String, Object> REGISTER_INPUT = JSON.readValue("""
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "title": "Device registration",
			  "type": "object",
			  "$defs": {
			    "serial": { "$anchor": "serial", "type": "string", "pattern": "^[A-Z]{2}-[0-9]{4}$" },
			    "port": { "type": "integer", "minimum": 1, "maximum": 65535 }
			  },
			  "properties": {
			    "kind": { "type": "string", "enum": [ "sensor", "gateway" ], "description": "What is registered" },
			    "serial": { "$ref": "#serial" },
			    "port": { "$ref": "#/$defs/port" },
			    "labels": { "type": "array", "items": { "type": "string" }, "uniqueItems": true, "default": [] }
			  },
			  "required": [ "kind", "serial" ],
			  "allOf": [
			    {
			      "if": { "properties": { "kind": { "const": "gateway" } }, "required": [ "kind" ] },
			      "then": { "required": [ "port" ] },
			      "else": { "not": { "required": [ "port" ] } }
			    }
			  ],
			  "additionalProperties": false
			}""", Map.class);

	/** An output schema with keywords of its own: oneOf, dependentRequired, format. */
	@SuppressWarnings("unchecked")
	static final Map<String, Object> STATUS_OUTPUT = JSON.readValue("""
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "type": "object",
			  "properties": {
			    "state": { "oneOf": [ { "const": "online" }, { "const": "offline" } ] },
			    "since": { "type": "string", "format": "date-time" },
			    "reason": { "type": "string" }
			  },
			  "dependentRequired": { "reason": [ "since" ] },
			  "required": [ "state" ]
			}""", Map.class);

	static final Map<String, Object> STATUS_INPUT = Map.of("type", "object", "properties",
			Map.of("serial", Map.of("type", "string")), "required", List.of("serial"));

	private static final SseRetryUpstream devices = start();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.upstreams.devices.url", devices::url);
	}

	@AfterAll
	static void stopUpstream() {
		devices.close();
	}

	private McpSyncClient client() {
		String key = this.apiKeys.create("devices-owner", null, ScopeSet.parse(List.of("devices:*:*")), null, null)
			.secret();
		return McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	@Test
	void anUpstreamAnsweringWithSseRetryLinesIsListedAndCalled() {
		try (McpSyncClient client = client()) {
			assertThat(client.listTools().tools()).extracting(Tool::name).contains("register_device", "device_status");
			CallToolResult result = call(client, "register_device",
					Map.of("kind", "gateway", "serial", "AB-1234", "port", 8080));
			assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
			assertThat(((TextContent) result.content().get(0)).text()).startsWith("register_device ran with")
				.contains("AB-1234");
		}
		assertThat(devices.calls).contains("register_device");
	}

	@Test
	void reExposedToolsKeepTheirSchemasWhole() {
		try (McpSyncClient client = client()) {
			Map<String, Tool> tools = client.listTools()
				.tools()
				.stream()
				.collect(Collectors.toMap(Tool::name, (tool) -> tool));
			assertThat(tree(tools.get("register_device").inputSchema())).isEqualTo(tree(REGISTER_INPUT));
			assertThat(tools.get("register_device").outputSchema()).isNull();
			assertThat(tree(tools.get("device_status").inputSchema())).isEqualTo(tree(STATUS_INPUT));
			assertThat(tree(tools.get("device_status").outputSchema())).isEqualTo(tree(STATUS_OUTPUT));
		}
	}

	@Test
	void theWholeSchemaIsWhatArgumentsAreCheckedAgainst() {
		try (McpSyncClient client = client()) {
			int before = devices.calls.size();
			// A gateway without a port breaks only the if/then branch; a bad serial only the $anchor'd definition.
			CallToolResult noPort = call(client, "register_device", Map.of("kind", "gateway", "serial", "AB-1234"));
			CallToolResult badSerial = call(client, "register_device", Map.of("kind", "sensor", "serial", "ab-12"));
			assertThat(noPort.isError()).isTrue();
			assertThat(badSerial.isError()).isTrue();
			assertThat(devices.calls).hasSize(before);
		}
	}

	private static JsonNode tree(Map<String, Object> schema) {
		return JSON.valueToTree(schema);
	}

	private static SseRetryUpstream start() {
		try {
			return new SseRetryUpstream(List.of(
					Map.of("name", "register_device", "description", "Register a device", "inputSchema", REGISTER_INPUT),
					Map.of("name", "device_status", "description", "A device's state", "inputSchema", STATUS_INPUT,
							"outputSchema", STATUS_OUTPUT)));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
