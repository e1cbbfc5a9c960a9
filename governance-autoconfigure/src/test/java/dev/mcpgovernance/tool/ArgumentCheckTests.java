package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The governor's argument check: the top level and then the whole schema (which the MCP SDK would
 * otherwise check before governance), naming the field at fault and never quoting a value.
 */
class ArgumentCheckTests {

	/** A device: a gateway needs a port ({@code if}/{@code then}); the serial follows an anchored definition. */
	private static final Map<String, Object> DEVICE = Map.of("$schema", "https://json-schema.org/draft/2020-12/schema",
			"type", "object", "required", List.of("kind", "serial"),
			"properties", Map.of("kind", Map.of("type", "string", "enum", List.of("gateway", "sensor")),
					"serial", Map.of("$ref", "#serial"), "port", Map.of("type", "integer")),
			"$defs", Map.of("serial", Map.of("$anchor", "serial", "type", "string", "pattern", "^[A-Z]{2}-[0-9]{4}$")),
			"allOf", List.of(Map.of("if", Map.of("properties", Map.of("kind", Map.of("const", "gateway"))),
					"then", Map.of("required", List.of("port")))));

	@Test
	void argumentsThatMatchTheWholeSchemaPass() {
		assertThat(ArgumentCheck.check(DEVICE, Map.of("kind", "gateway", "serial", "AB-1234", "port", 8443))).isNull();
		assertThat(ArgumentCheck.check(DEVICE, Map.of("kind", "sensor", "serial", "CD-0001"))).isNull();
	}

	@Test
	void aMissingOrMistypedTopLevelArgumentIsNamed() {
		ToolError missing = ArgumentCheck.check(DEVICE, Map.of("kind", "sensor"));
		ToolError mistyped = ArgumentCheck.check(DEVICE, Map.of("kind", "sensor", "serial", "CD-0001", "port", "x"));

		assertThat(missing.code()).isEqualTo(ToolErrorCode.INVALID_INPUT);
		assertThat(missing.details()).containsEntry("field", "serial");
		assertThat(mistyped.details()).containsEntry("field", "port");
	}

	@Test
	void breakingOnlyAConditionalOrAReferencedDefinitionIsRefusedWithoutQuotingTheValue() {
		ToolError noPort = ArgumentCheck.check(DEVICE, Map.of("kind", "gateway", "serial", "AB-1234"));
		ToolError badSerial = ArgumentCheck.check(DEVICE, Map.of("kind", "sensor", "serial", "secret-serial-42"));

		assertThat(noPort.code()).isEqualTo(ToolErrorCode.INVALID_INPUT);
		assertThat(noPort.details()).containsEntry("field", "port");
		assertThat(badSerial.code()).isEqualTo(ToolErrorCode.INVALID_INPUT);
		assertThat(badSerial.message()).doesNotContain("secret-serial-42");
		assertThat(badSerial.details()).containsEntry("field", "serial");
		assertThat(badSerial.details().toString()).doesNotContain("secret-serial-42");
	}

	@Test
	void aSchemaThatAsksForARemoteReferenceIsNotFetched() throws Exception {
		try (java.net.ServerSocket listener = new java.net.ServerSocket(0)) {
			listener.setSoTimeout(1);
			Map<String, Object> remote = Map.of("type", "object", "properties",
					Map.of("x", Map.of("$ref", "http://127.0.0.1:" + listener.getLocalPort() + "/schema.json")));

			ArgumentCheck.check(remote, Map.of("x", "anything"));

			assertThatExceptionOfType(java.net.SocketTimeoutException.class).isThrownBy(listener::accept);
		}
	}

	@Test
	void aToolWithoutASchemaTakesAnyArguments() {
		assertThat(ArgumentCheck.check(null, Map.of("anything", 1))).isNull();
		assertThat(ArgumentCheck.check(Map.of(), Map.of("anything", 1))).isNull();
	}

}
