package dev.mcpgovernance.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.ratelimit.CallerRateLimits;
import dev.mcpgovernance.resource.ResourceStepUp;
import dev.mcpgovernance.session.SessionAuditTrail;
import dev.mcpgovernance.session.SessionBindingFilter;
import dev.mcpgovernance.session.SessionRegistry;

import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.function.SingletonSupplier;

/**
 * The MCP Governance rules for a Spring Security filter chain: the edge (Host check, clean errors),
 * Origin check, authentication by every {@link CredentialKind} bean, the verified-caller gate,
 * the per-caller rate limit, the transport checks (method, media types), JSON-RPC body and header
 * checks, session binding and scope step-up, all limited to the MCP endpoints. The starter applies it
 * to its own chain; an application that prefers one chain of its own composes it there and sets
 * {@code mcp.governance.security.chain=false}:
 *
 * <pre>
 * http.with(McpGovernanceConfigurer.mcpGovernance(), Customizer.withDefaults());
 * </pre>
 */
public final class McpGovernanceConfigurer extends AbstractHttpConfigurer<McpGovernanceConfigurer, HttpSecurity> {

	/**
	 * Order of the starter's own chain: ahead of the application's chains, which is harmless because
	 * it matches only the MCP endpoints and their well-known documents.
	 */
	public static final int FILTER_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private McpGovernanceConfigurer() {
	}

	public static McpGovernanceConfigurer mcpGovernance() {
		return new McpGovernanceConfigurer();
	}

	@Override
	public void init(HttpSecurity http) {
		McpEndpoints endpoints = bean(http, McpEndpoints.class);
		// MCP clients are not browsers with a session: CSRF tokens do not apply; the Origin check does.
		// (The starter's own chain, which holds only these endpoints, has no CSRF filter at all.)
		if (http.getConfigurer(CsrfConfigurer.class) != null) {
			http.csrf((csrf) -> csrf.ignoringRequestMatchers(endpoints.allRequestMatcher()));
		}
		http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
				bean(http, GovernanceAuthenticationEntryPoint.class), endpoints.mcpRequestMatcher()));
	}

	@Override
	public void configure(HttpSecurity http) {
		RequestMatcher mcp = bean(http, McpEndpoints.class).mcpRequestMatcher();
		GovernanceAuthenticationEntryPoint entryPoint = bean(http, GovernanceAuthenticationEntryPoint.class);
		GovernanceProperties properties = bean(http, GovernanceProperties.class);
		GovernanceSecurityProperties securityProperties = bean(http, GovernanceSecurityProperties.class);

		// Added first at the shared position, so it runs before everything else and sees every answer.
		http.addFilterBefore(new McpEdgeFilter(mcp, allowedHosts(properties),
				bean(http, McpEndpoints.class).eventStreamOpeningMatcher()), SecurityContextHolderFilter.class);
		http.addFilterBefore(new OriginValidationFilter(mcp, properties.getAllowedOrigins()),
				SecurityContextHolderFilter.class);
		List<CredentialKind> kinds = addCallerFilters(http, mcp, entryPoint, (kind) -> true);
		RefusedToolCallReporter refusals = context(http).getBeanProvider(RefusedToolCallReporter.class).getIfAvailable();
		// Added before the JSON-RPC filter, so a caller over its limit gets 429 whatever its request.
		context(http).getBeanProvider(CallerRateLimits.class)
			.ifAvailable((limits) -> http.addFilterAfter(new CallerRateLimitFilter(mcp, limits, refusals,
					securityProperties.getMaxRequestSize().toBytes()), CallerRequiredFilter.class));
		// After the caller gate, so an unauthenticated caller learns nothing but 401; before the body is read.
		http.addFilterAfter(new TransportRequestFilter(bean(http, McpEndpoints.class)), CallerRequiredFilter.class);
		http.addFilterAfter(new JsonRpcRequestFilter(mcp, securityProperties.getMaxRequestSize().toBytes(),
				protocolVersions(context(http)), refusals), CallerRequiredFilter.class);
		// After the body is read (an initialize opens a session), ahead of anything that answers about a call.
		context(http).getBeanProvider(SessionRegistry.class)
			.ifAvailable((sessions) -> http.addFilterAfter(new SessionBindingFilter(mcp, sessions,
					context(http).getBeanProvider(SessionAuditTrail.class).getIfAvailable()), JsonRpcRequestFilter.class));
		GovernedToolRegistry registry = context(http).getBeanProvider(GovernedToolRegistry.class).getIfAvailable();
		if (kinds.stream().anyMatch(CredentialKind::canStepUp) && registry != null && securityProperties.isStepUp()) {
			http.addFilterAfter(new ScopeStepUpFilter(mcp, registry, bean(http, ProtectedResourceMetadata.class),
					refusals, context(http).getBeanProvider(ResourceStepUp.class).getIfAvailable()),
					JsonRpcRequestFilter.class);
		}
	}

	/**
	 * Authentication by the credential kinds the admin API accepts
	 * ({@link CredentialKind#acceptedOnAdminApi()}) and the verified-caller gate, for the requests
	 * {@code matcher} selects: the admin chain's.
	 */
	public static void addCallerFilters(HttpSecurity http, RequestMatcher matcher, AuthenticationEntryPoint entryPoint) {
		addCallerFilters(http, matcher, entryPoint, CredentialKind::acceptedOnAdminApi);
	}

	/** @return the credential kinds the chain authenticates with, in order */
	private static List<CredentialKind> addCallerFilters(HttpSecurity http, RequestMatcher matcher,
			AuthenticationEntryPoint entryPoint, Predicate<CredentialKind> accepted) {
		List<CredentialKind> kinds = context(http).getBeanProvider(CredentialKind.class)
			.orderedStream()
			.filter(accepted)
			.toList();
		if (!kinds.isEmpty()) {
			http.addFilterBefore(new CredentialAuthenticationFilter(matcher, kinds, entryPoint),
					AnonymousAuthenticationFilter.class);
		}
		// Same position, added later: runs after authentication.
		http.addFilterBefore(new CallerRequiredFilter(matcher, entryPoint), AnonymousAuthenticationFilter.class);
		return kinds;
	}

	/** The configured host patterns and the host of {@code mcp.governance.resource}, when set. */
	private static List<String> allowedHosts(GovernanceProperties properties) {
		List<String> hosts = new ArrayList<>(properties.getAllowedHosts());
		if (properties.getResource() != null && properties.getResource().getHost() != null) {
			hosts.add(properties.getResource().getHost());
		}
		return hosts;
	}

	/**
	 * The revisions the MCP transports serve, looked up on first use (the transports may be created
	 * after the chain); the SDK's revisions when there is no transport to ask.
	 */
	private static Supplier<Set<String>> protocolVersions(ApplicationContext context) {
		return SingletonSupplier.of(() -> {
			Set<String> versions = new LinkedHashSet<>();
			context.getBeanProvider(McpServerTransportProviderBase.class)
				.forEach((transport) -> versions.addAll(transport.protocolVersions()));
			context.getBeanProvider(McpStatelessServerTransport.class)
				.forEach((transport) -> versions.addAll(transport.protocolVersions()));
			return versions.isEmpty() ? Set.of(ProtocolVersions.MCP_2024_11_05, ProtocolVersions.MCP_2025_03_26,
					ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25) : versions;
		});
	}

	private static <T> T bean(HttpSecurity http, Class<T> type) {
		return context(http).getBean(type);
	}

	private static ApplicationContext context(HttpSecurity http) {
		return http.getSharedObject(ApplicationContext.class);
	}

}
