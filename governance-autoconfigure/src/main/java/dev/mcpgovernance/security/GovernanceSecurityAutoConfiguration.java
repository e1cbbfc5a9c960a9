package dev.mcpgovernance.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.identity.oauth.GovernanceOAuthAutoConfiguration;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolCallListener;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Protects the MCP endpoints with the starter's own filter chain, scoped with {@code securityMatcher}
 * to those endpoints and their well-known documents so that the application's chains keep working
 * untouched. Runs after Spring Boot's security auto-configuration, so an application without a chain
 * of its own keeps Boot's default one for everything else.
 */
@AutoConfiguration(after = { SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
		GovernanceToolAutoConfiguration.class, GovernanceIdentityAutoConfiguration.class,
		GovernanceOAuthAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ GovernanceProperties.class, GovernanceSecurityProperties.class })
public class GovernanceSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public McpEndpoints mcpEndpoints(Environment environment) {
		return McpEndpoints.from(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	public ProtectedResourceMetadata protectedResourceMetadata(McpEndpoints endpoints, GovernanceProperties properties,
			ObjectProvider<GovernedToolRegistry> registry, ObjectProvider<CredentialKind> kinds,
			ObjectProvider<GovernedResourceRegistry> resources) {
		return new ProtectedResourceMetadata(endpoints, properties.getResource(), () -> {
			Set<String> servers = new LinkedHashSet<>();
			kinds.orderedStream().forEach((kind) -> servers.addAll(kind.authorizationServers()));
			return List.copyOf(servers);
		}, () -> {
			// What the tools, resources and prompts require, so a client can ask for all of it at once.
			Set<String> scopes = new TreeSet<>();
			registry.ifAvailable((tools) -> scopes.addAll(tools.requiredScopes()));
			resources.ifAvailable((governed) -> scopes.addAll(governed.requiredScopes()));
			return scopes;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	public RefusedToolCallReporter refusedToolCallReporter(McpEndpoints endpoints,
			GovernanceSecurityProperties properties, ObjectProvider<ToolCallListener> listeners,
			ObjectProvider<GovernedToolRegistry> registry, ObjectProvider<McpSyncServer> server,
			ObjectProvider<McpStatelessSyncServer> statelessServer) {
		return new RefusedToolCallReporter(endpoints.mcpRequestMatcher(), listeners::orderedStream,
				registry::getIfAvailable, (name) -> served(server, statelessServer, name),
				properties.getMaxRequestSize().toBytes());
	}

	/** Whether the running MCP server has a tool by this name (an ungoverned one too). */
	private static boolean served(ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			String name) {
		McpSyncServer sync = server.getIfAvailable();
		McpStatelessSyncServer stateless = (sync != null) ? null : statelessServer.getIfAvailable();
		List<Tool> tools = (sync != null) ? sync.listTools() : (stateless != null) ? stateless.listTools() : List.of();
		return tools.stream().anyMatch((tool) -> tool.name().equals(name));
	}

	@Bean
	@ConditionalOnMissingBean
	public GovernanceAuthenticationEntryPoint governanceAuthenticationEntryPoint(ProtectedResourceMetadata metadata,
			ObjectProvider<RefusedToolCallReporter> refusals) {
		return new GovernanceAuthenticationEntryPoint(metadata, refusals.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean(name = "mcpGovernanceResourceMetadataRoutes")
	public RouterFunction<ServerResponse> mcpGovernanceResourceMetadataRoutes(McpEndpoints endpoints,
			ProtectedResourceMetadata metadata) {
		return ProtectedResourceMetadataEndpoint.routes(endpoints, metadata);
	}

	/**
	 * Spring Security takes one such handler for every chain; this one changes the answer for the MCP
	 * endpoints only and keeps the default (400) for every other path.
	 */
	@Bean
	@ConditionalOnMissingBean(RequestRejectedHandler.class)
	public McpRequestRejectedHandler mcpRequestRejectedHandler(McpEndpoints endpoints) {
		return new McpRequestRejectedHandler(endpoints);
	}

	@Bean
	@ConditionalOnMissingBean
	public UnprotectedBindCheck unprotectedBindCheck(ObjectProvider<ServerProperties> server,
			ObjectProvider<CredentialKind> kinds) {
		ServerProperties serverProperties = server.getIfAvailable();
		return new UnprotectedBindCheck((serverProperties != null) ? serverProperties.getAddress() : null,
				kinds.orderedStream().toList());
	}

	/**
	 * The async dispatch that finishes a streamed MCP answer, in a chain without filters just before the
	 * starter's own: the request was authenticated on its first dispatch, the starter's chain permits its
	 * async dispatch anyway, and running Spring Security's filters again cost the governed server about
	 * 4 % of its request threads' CPU (issue 23). A chain of the starter's, so no host chain sees the dispatch.
	 */
	@Bean(name = "mcpGovernanceAsyncDispatchFilterChain")
	@Order(McpGovernanceConfigurer.FILTER_CHAIN_ORDER - 1)
	@ConditionalOnMissingBean(name = "mcpGovernanceAsyncDispatchFilterChain")
	@ConditionalOnBooleanProperty(prefix = GovernanceSecurityProperties.PREFIX, name = "chain", matchIfMissing = true)
	public DefaultSecurityFilterChain mcpGovernanceAsyncDispatchFilterChain(McpEndpoints endpoints) {
		RequestMatcher mcp = endpoints.mcpRequestMatcher();
		return new DefaultSecurityFilterChain(
				(request) -> request.getDispatcherType() == DispatcherType.ASYNC && mcp.matches(request));
	}

	@Bean(name = "mcpGovernanceSecurityFilterChain")
	@Order(McpGovernanceConfigurer.FILTER_CHAIN_ORDER)
	@ConditionalOnMissingBean(name = "mcpGovernanceSecurityFilterChain")
	@ConditionalOnBooleanProperty(prefix = GovernanceSecurityProperties.PREFIX, name = "chain", matchIfMissing = true)
	public SecurityFilterChain mcpGovernanceSecurityFilterChain(HttpSecurity http, McpEndpoints endpoints)
			throws Exception {
		http.securityMatcher(endpoints.allRequestMatcher())
			.authorizeHttpRequests((requests) -> requests.requestMatchers(endpoints.resourceMetadataRequestMatcher())
				.permitAll()
				// Streamed MCP responses finish in an async dispatch of a request already authorized.
				.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
				.permitAll()
				.anyRequest()
				.authenticated())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// Every request of this chain is an MCP endpoint's, where CSRF tokens do not apply (the
			// Origin check does): no CSRF filter at all rather than one that ignores every request.
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			// Nothing behind this chain asks the servlet API for the user (the caller travels as
			// VerifiedCaller), and an unauthenticated request never gets past the caller gate: neither
			// the request wrapper every header read would pass through nor an anonymous token.
			.servletApi((api) -> api.disable())
			.anonymous((anonymous) -> anonymous.disable())
			.formLogin((form) -> form.disable())
			.httpBasic((basic) -> basic.disable())
			.logout((logout) -> logout.disable())
			.with(McpGovernanceConfigurer.mcpGovernance(), Customizer.withDefaults());
		return http.build();
	}

}
