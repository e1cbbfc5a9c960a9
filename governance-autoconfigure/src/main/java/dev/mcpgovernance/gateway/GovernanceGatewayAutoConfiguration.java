package dev.mcpgovernance.gateway;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.adapter.GovernanceAdapterAutoConfiguration;
import dev.mcpgovernance.connector.openapi.GovernanceConnectorAutoConfiguration;
import dev.mcpgovernance.connector.openapi.auth.DownstreamAuthorizers;
import dev.mcpgovernance.connector.openapi.auth.TokenExchanger;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Gateway mode: the tools of the upstream MCP servers in {@code mcp.governance.upstreams.*} exposed
 * as governed tools, read again every {@code mcp.governance.gateway.refresh-interval}, with a health
 * indicator when Actuator is there.
 */
@AutoConfiguration(after = { GovernanceToolAutoConfiguration.class, GovernanceAdapterAutoConfiguration.class,
		GovernanceConnectorAutoConfiguration.class })
@ConditionalOnClass(McpSyncClient.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceGatewayProperties.PREFIX + ".gateway", name = "enabled",
		matchIfMissing = true)
@EnableConfigurationProperties(GovernanceGatewayProperties.class)
public class GovernanceGatewayAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public McpGateway mcpGateway(GovernanceGatewayProperties properties, GovernedToolRegistry registry,
			GovernedToolSpecifications specifications, ObjectProvider<AdapterResilience> resilience,
			ObjectProvider<DownstreamAuthorizers> authorizers, ObjectProvider<TokenExchanger> exchanger,
			Environment environment, ObjectProvider<McpSyncServer> server,
			ObjectProvider<McpStatelessSyncServer> statelessServer) {
		GovernanceGatewayProperties.Gateway gateway = properties.getGateway();
		// Without the OpenAPI connectors (no swagger-parser) the same credential rules still apply.
		DownstreamAuthorizers credentials = authorizers
			.getIfAvailable(() -> new DownstreamAuthorizers(environment, exchanger.getIfAvailable()));
		return new McpGateway(properties.toDefinitions(), registry, specifications,
				resilience.getIfAvailable(() -> AdapterResilience.NONE), credentials, server, statelessServer,
				new McpGateway.Settings(gateway.getRefreshInterval(), gateway.getConnectTimeout(),
						gateway.getRequestTimeout()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
	static class HealthConfiguration {

		// On the method: the condition's class comes with Actuator, so it is read only once Actuator is known to be there.
		@Bean
		@ConditionalOnEnabledHealthIndicator("mcpGovernanceUpstreams")
		@ConditionalOnMissingBean(name = "mcpGovernanceUpstreamsHealthIndicator")
		public UpstreamsHealthIndicator mcpGovernanceUpstreamsHealthIndicator(McpGateway gateway) {
			return new UpstreamsHealthIndicator(gateway);
		}

	}

}
