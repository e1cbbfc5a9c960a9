package dev.mcpgovernance;

import dev.mcpgovernance.connector.openapi.GovernanceConnectorAutoConfiguration;
import dev.mcpgovernance.connector.openapi.OpenApiConnectors;
import dev.mcpgovernance.connector.openapi.OperationTool;
import dev.mcpgovernance.gateway.GovernanceGatewayProperties;
import dev.mcpgovernance.outbound.GovernanceOutboundAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's upstreams and the OpenAPI connectors moved under their own prefixes; an application
 * that still writes the old keys keeps working, is told the new key, and the new key wins.
 */
@ExtendWith(OutputCaptureExtension.class)
class MovedPropertiesTests {

	private static final String SPEC = ".spec=classpath:openapi/petstore3.json";

	private final ApplicationContextRunner connectors = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GovernanceToolAutoConfiguration.class,
				GovernanceOutboundAutoConfiguration.class, GovernanceConnectorAutoConfiguration.class))
		.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE");

	@Test
	void connectorsAreReadUnderTheirOwnPrefixWithoutAWarning(CapturedOutput output) {
		this.connectors.withPropertyValues(connector("mcp.governance.openapi.connectors.petstore", "getPetById"))
			.run((context) -> assertThat(context.getBean(OpenApiConnectors.class).tools())
				.extracting(OperationTool::toolName)
				.containsExactly("getPetById"));
		assertThat(output).doesNotContain("is deprecated");
	}

	@Test
	void connectorsUnderTheOldKeyStillWorkAndTheWarningNamesTheNewKey(CapturedOutput output) {
		this.connectors.withPropertyValues(connector("mcp.governance.connectors.petstore", "getPetById"))
			.run((context) -> assertThat(context.getBean(OpenApiConnectors.class).tools())
				.extracting(OperationTool::toolName)
				.containsExactly("getPetById"));
		assertThat(output).contains("mcp.governance.connectors.* is deprecated: write mcp.governance.openapi.connectors.*");
	}

	@Test
	void theNewKeyWinsOverTheOldOneForTheSameConnector() {
		this.connectors.withPropertyValues(connector("mcp.governance.openapi.connectors.petstore", "getPetById"))
			.withPropertyValues(connector("mcp.governance.connectors.petstore", "getInventory"))
			.run((context) -> assertThat(context.getBean(OpenApiConnectors.class).tools())
				.extracting(OperationTool::toolName)
				.containsExactly("getPetById"));
	}

	@Test
	void anOldConnectorIsValidatedLikeANewOne() {
		this.connectors.withPropertyValues("mcp.governance.connectors.petstore.domain=petstore")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("mcp.governance.connectors.petstore.spec"));
	}

	@Test
	void upstreamsUnderTheOldKeyAreAddedToTheNewOnesWithAWarning(CapturedOutput output) {
		new ApplicationContextRunner().withUserConfiguration(GatewayProperties.class)
			.withPropertyValues("mcp.governance.gateway.upstreams.crm.url=http://crm:8080/mcp",
					"mcp.governance.upstreams.crm.url=http://old-crm:8080/mcp",
					"mcp.governance.upstreams.tickets.url=http://tickets:3000/sse",
					"mcp.governance.upstreams.tickets.transport=sse", "mcp.governance.gateway.refresh-interval=1m")
			.run((context) -> {
				GovernanceGatewayProperties properties = context.getBean(GovernanceGatewayProperties.class);
				assertThat(properties.getUpstreams()).containsOnlyKeys("crm", "tickets");
				assertThat(properties.getUpstreams().get("crm").getUrl()).hasToString("http://crm:8080/mcp");
				assertThat(properties.getRefreshInterval()).hasMinutes(1);
			});
		assertThat(output).contains("mcp.governance.upstreams.* is deprecated: write mcp.governance.gateway.upstreams.*");
	}

	private static String[] connector(String prefix, String operation) {
		return new String[] { prefix + SPEC, prefix + ".domain=petstore", prefix + ".base-url=http://127.0.0.1:9/api/v3",
				prefix + ".include=" + operation };
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GovernanceGatewayProperties.class)
	static class GatewayProperties {

	}

}
