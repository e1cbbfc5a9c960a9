package dev.mcpgovernance.connector.openapi;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.outbound.DownstreamAuthorizers;
import dev.mcpgovernance.outbound.GovernanceOutboundAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;

import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStatelessAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * OpenAPI connectors: the operations each connector includes become governed tools, for whichever
 * MCP server protocol is configured, with their downstream credentials (service identity or RFC
 * 8693 token exchange, from {@link GovernanceOutboundAutoConfiguration}), each API called through the
 * adapters' {@link AdapterResilience} when there is one.
 */
@AutoConfiguration(after = { GovernanceToolAutoConfiguration.class, GovernanceOutboundAutoConfiguration.class })
@ConditionalOnClass(name = "io.swagger.v3.parser.OpenAPIV3Parser")
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ OpenApiConnectorProperties.class, GovernanceProperties.class })
public class GovernanceConnectorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public OpenApiConnectors openApiConnectors(OpenApiConnectorProperties properties,
			ObjectProvider<OpenApiConnector> connectorBeans, GovernanceProperties governance, ResourceLoader resourceLoader,
			GovernedToolRegistry registry, DownstreamAuthorizers authorizers, ObjectProvider<AdapterResilience> resilience) {
		List<OpenApiConnector> connectors = new ArrayList<>(properties.toConnectors());
		connectorBeans.orderedStream().forEach(connectors::add);
		// The adapters' breaker, retry and time limit; none when adapters are switched off.
		return new OpenApiConnectors(connectors, governance.getDomain(), resourceLoader, registry, authorizers,
				resilience.getIfAvailable(() -> AdapterResilience.NONE), new ObjectMapper());
	}

	// Spring AI's protocol conditions are evaluated while parsing configuration classes, not on bean methods.
	@Configuration(proxyBeanMethods = false)
	@Conditional(McpServerAutoConfiguration.NonStatelessServerCondition.class)
	static class SyncToolsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "openApiConnectorSyncTools")
		public List<McpServerFeatures.SyncToolSpecification> openApiConnectorSyncTools(OpenApiConnectors connectors) {
			return connectors.syncToolSpecifications();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(McpServerStatelessAutoConfiguration.EnabledStatelessServerCondition.class)
	static class StatelessToolsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "openApiConnectorStatelessTools")
		public List<McpStatelessServerFeatures.SyncToolSpecification> openApiConnectorStatelessTools(
				OpenApiConnectors connectors) {
			return connectors.statelessToolSpecifications();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "openApiConnectorsHealthMember")
		public GovernanceHealthMember openApiConnectorsHealthMember() {
			return new GovernanceHealthMember("openApiConnectors");
		}

		@Bean
		@ConditionalOnMissingBean
		public OpenApiConnectorsHealthIndicator openApiConnectorsHealthIndicator(OpenApiConnectors connectors) {
			return new OpenApiConnectorsHealthIndicator(connectors);
		}

	}

}
