package dev.mcpgovernance.gateway;

import javax.sql.DataSource;

import dev.mcpgovernance.GovernanceHealthMember;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.adapter.GovernanceAdapterAutoConfiguration;
import dev.mcpgovernance.outbound.DownstreamAuthorizers;
import dev.mcpgovernance.outbound.GovernanceOutboundAutoConfiguration;
import dev.mcpgovernance.outbound.TokenExchanger;
import dev.mcpgovernance.connector.openapi.GovernanceConnectorAutoConfiguration;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.resource.GovernanceResourceAutoConfiguration;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.resource.GovernedResourceSpecifications;
import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gateway mode: the tools of the upstream MCP servers in {@code mcp.governance.gateway.upstreams.*} exposed
 * as governed tools, read again every {@code mcp.governance.gateway.refresh-interval}, with a health
 * indicator when Actuator is there. Upstreams added through the admin API are kept in table
 * {@code mcp_governance_upstream} when there is a DataSource (shared by every replica, kept across
 * restarts), in this process's memory otherwise.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, GovernanceStorageAutoConfiguration.class,
		GovernanceToolAutoConfiguration.class, GovernanceAdapterAutoConfiguration.class,
		GovernanceOutboundAutoConfiguration.class, GovernanceResourceAutoConfiguration.class })
@ConditionalOnClass(McpSyncClient.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceGatewayProperties.PREFIX, name = "enabled",
		matchIfMissing = true)
@EnableConfigurationProperties(GovernanceGatewayProperties.class)
public class GovernanceGatewayAutoConfiguration {

	// Declared here rather than in a nested class: outer bean methods are processed after the nested
	// JDBC configuration, so this one reliably backs off when a JDBC store exists.
	@Bean
	@ConditionalOnMissingBean(RuntimeUpstreamStore.class)
	public InMemoryRuntimeUpstreamStore inMemoryRuntimeUpstreamStore() {
		return new InMemoryRuntimeUpstreamStore();
	}

	@Bean
	@ConditionalOnMissingBean
	public RuntimeUpstreams runtimeUpstreams(RuntimeUpstreamStore store, GovernanceGatewayProperties properties,
			ObjectProvider<DownstreamAuthorizers> authorizers, ObjectProvider<TokenExchanger> exchanger,
			Environment environment) {
		GovernanceGatewayProperties gateway = properties;
		DownstreamAuthorizers resolver = authorizers(authorizers, exchanger, environment);
		// A named credential that cannot work stops start-up, like a configured upstream's.
		gateway.getCredentials().forEach((name, credential) -> {
			resolver.resolve("credential " + name, credential.serviceAuth(name));
			resolver.resolve("credential " + name, credential.toDownstreamAuth(name));
		});
		return new RuntimeUpstreams(store, properties.getUpstreams().keySet(), gateway.getAllowedUrls(),
				gateway.getCredentials());
	}

	@Bean
	@ConditionalOnMissingBean
	public McpGateway mcpGateway(GovernanceGatewayProperties properties, RuntimeUpstreams runtimeUpstreams,
			GovernedToolRegistry registry, GovernedToolSpecifications specifications,
			ObjectProvider<AdapterResilience> resilience, ObjectProvider<DownstreamAuthorizers> authorizers,
			ObjectProvider<TokenExchanger> exchanger, Environment environment, ObjectProvider<McpSyncServer> server,
			ObjectProvider<McpStatelessSyncServer> statelessServer, ObjectProvider<Redactor> redactor,
			ObjectProvider<GovernedResourceRegistry> resourceRegistry,
			ObjectProvider<GovernedResourceSpecifications> resourceSpecifications) {
		GovernanceGatewayProperties gateway = properties;
		DownstreamAuthorizers credentials = authorizers(authorizers, exchanger, environment);
		return new McpGateway(properties.toDefinitions(), runtimeUpstreams, registry, specifications,
				resilience.getIfAvailable(() -> AdapterResilience.NONE), credentials, server, statelessServer,
				new McpGateway.Settings(gateway.getRefreshInterval(), gateway.getConnectTimeout(),
						gateway.getRequestTimeout(), gateway.getMaxCallerSessions(),
						gateway.getCallerSessionIdleTimeout()),
				redactor.getIfAvailable(), resourceRegistry.getIfAvailable(), resourceSpecifications.getIfAvailable());
	}

	// Without the OpenAPI connectors (no swagger-parser) the same credential rules still apply.
	private static DownstreamAuthorizers authorizers(ObjectProvider<DownstreamAuthorizers> authorizers,
			ObjectProvider<TokenExchanger> exchanger, Environment environment) {
		return authorizers.getIfAvailable(() -> new DownstreamAuthorizers(environment, exchanger.getIfAvailable()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcClient.class)
	@ConditionalOnBean(DataSource.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(RuntimeUpstreamStore.class)
		public JdbcRuntimeUpstreamStore jdbcRuntimeUpstreamStore(DataSource dataSource,
				ObjectProvider<GovernanceSchemaMigrator> migrator) {
			// The table must exist before the first refresh; the migrator creates it when Flyway is present.
			migrator.getIfAvailable();
			return new JdbcRuntimeUpstreamStore(JdbcClient.create(dataSource));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "mcpGovernanceUpstreamsHealthMember")
		public GovernanceHealthMember mcpGovernanceUpstreamsHealthMember() {
			return new GovernanceHealthMember("mcpGovernanceUpstreams");
		}

		// On the method: the condition's class comes with Actuator, so it is read only once Actuator is known to be there.
		@Bean
		@ConditionalOnEnabledHealthIndicator("mcpGovernanceUpstreams")
		@ConditionalOnMissingBean(name = "mcpGovernanceUpstreamsHealthIndicator")
		public UpstreamsHealthIndicator mcpGovernanceUpstreamsHealthIndicator(McpGateway gateway) {
			return new UpstreamsHealthIndicator(gateway);
		}

	}

}
