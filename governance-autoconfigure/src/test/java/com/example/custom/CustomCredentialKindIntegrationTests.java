package com.example.custom;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.lint.Finding;
import dev.mcpgovernance.lint.GovernanceReport;
import dev.mcpgovernance.lint.GovernanceReporter;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A credential kind added from outside the starter's packages with one bean: the security chain
 * authenticates with it, the transport context carries what it adds, the report lists it, and the
 * bind check counts it. This server has no other credential (no pepper, no issuer, no capability key)
 * and listens on every interface, which the bind check refuses unless some kind verifies callers: it
 * starts only because the device kind does.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, CustomCredentialKindIntegrationTests.Devices.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:custom-kind-it;DB_CLOSE_DELAY=-1" })
class CustomCredentialKindIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	GovernanceReporter reporter;

	@Test
	void aDeviceTokenIsTheCallerThroughARealClientAndItsContextReachesTheTool() {
		try (McpSyncClient client = McpTestClient.streamable(this.port, DeviceCredentialKind.HEADER,
				DeviceCredentialKind.VALID_TOKEN)) {
			assertThat(text(call(client, "whoami", Map.of()))).startsWith("\"device-7|device:7|http|");
			assertThat(text(call(client, "device_id", Map.of()))).isEqualTo("7");
			// Its scopes are the kind's: reading inventory, not orders.
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isTrue();
		}
	}

	@Test
	void anUnknownDeviceTokenIsRefusedWithTheKindsReason() throws Exception {
		HttpResponse<String> response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(),
				DeviceCredentialKind.HEADER, "stolen");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("error=\"invalid_token\", error_description=\"Unknown device\"");
		assertThat(McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody()).statusCode()).isEqualTo(401);
	}

	@Test
	void theReportListsTheKindAndFindsTheServerProtected() {
		GovernanceReport report = this.reporter.report();
		assertThat(report.authentication()).containsExactly("device");
		assertThat(report.findings()).extracting(Finding::kind)
			.doesNotContain(Finding.Kind.REMOTE_BIND_WITHOUT_AUTH, Finding.Kind.NO_AUTHENTICATION);
	}

	@Configuration(proxyBeanMethods = false)
	static class Devices {

		/** The one bean that adds the credential kind. */
		@Bean
		DeviceCredentialKind deviceCredentialKind() {
			return new DeviceCredentialKind();
		}

		/** Test scaffolding: a tool that shows what the kind put in the transport context. */
		@Bean
		DeviceTools deviceTools() {
			return new DeviceTools();
		}

		@Bean
		ToolCallbackProvider deviceToolCallbacks(DeviceTools tools) {
			return MethodToolCallbackProvider.builder().toolObjects(tools).build();
		}

	}

}
