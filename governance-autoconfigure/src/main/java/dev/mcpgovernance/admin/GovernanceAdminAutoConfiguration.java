package dev.mcpgovernance.admin;

import java.io.IOException;
import java.util.Map;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.capability.CapabilityIssuer;
import dev.mcpgovernance.audit.AuditChainVerifier;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.audit.AuditQueryService;
import dev.mcpgovernance.audit.GovernanceAuditAutoConfiguration;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.security.GovernanceAuthentication;
import dev.mcpgovernance.security.GovernanceAuthenticationEntryPoint;
import dev.mcpgovernance.security.GovernanceSecurityAutoConfiguration;
import dev.mcpgovernance.security.McpGovernanceConfigurer;
import dev.mcpgovernance.gateway.McpGateway;
import dev.mcpgovernance.gateway.RuntimeUpstreams;
import dev.mcpgovernance.redaction.Redactor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The admin REST API, when {@code mcp.governance.admin.enabled=true}: its controller and a filter
 * chain of its own, scoped to the admin path, with the same credentials as the MCP endpoints and
 * scope governance:admin:read (GET) or governance:admin:write (everything else); minting capability
 * tokens, where a signing key is set, needs governance:capability:mint instead. With the JDBC audit
 * store it also serves the audit trail and its verification (read).
 */
@AutoConfiguration(after = { GovernanceSecurityAutoConfiguration.class, GovernanceAuditAutoConfiguration.class },
		afterName = { "dev.mcpgovernance.capability.GovernanceCapabilityAutoConfiguration",
				"dev.mcpgovernance.gateway.GovernanceGatewayAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceAdminProperties.PREFIX, name = "enabled")
@ConditionalOnBean({ ApiKeyManager.class, GovernanceAuthenticationEntryPoint.class })
@EnableConfigurationProperties(GovernanceAdminProperties.class)
public class GovernanceAdminAutoConfiguration {

	private static final RequestMatcher GET = (request) -> HttpMethod.GET.matches(request.getMethod());

	/** Right after the MCP chain: like it, it matches only its own paths. */
	public static final int FILTER_CHAIN_ORDER = McpGovernanceConfigurer.FILTER_CHAIN_ORDER + 1;

	@Bean
	@ConditionalOnMissingBean
	public AdminAuditTrail adminAuditTrail(ObjectProvider<AuditPipeline> pipeline, ObjectProvider<Redactor> redactor) {
		return new AdminAuditTrail(pipeline.getIfAvailable(), redactor.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	public ApiKeyAdminController apiKeyAdminController(ApiKeyManager keys) {
		return new ApiKeyAdminController(keys);
	}

	@Bean(name = "mcpGovernanceAdminFilterChain")
	@Order(FILTER_CHAIN_ORDER)
	@ConditionalOnMissingBean(name = "mcpGovernanceAdminFilterChain")
	public SecurityFilterChain mcpGovernanceAdminFilterChain(HttpSecurity http, GovernanceAdminProperties properties,
			GovernanceAuthenticationEntryPoint entryPoint) throws Exception {
		RequestMatcher admin = PathPatternRequestMatcher.withDefaults().matcher(properties.getBasePath() + "/**");
		// Its own scope: an agent platform that mints tokens need not manage API keys.
		RequestMatcher mint = PathPatternRequestMatcher.withDefaults()
			.matcher(HttpMethod.POST, properties.getBasePath() + "/capabilities");
		// Upstreams too: changing what the server exposes is not managing keys.
		RequestMatcher upstreams = new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(properties.getBasePath() + "/upstreams"),
				PathPatternRequestMatcher.withDefaults().matcher(properties.getBasePath() + "/upstreams/**"));
		McpGovernanceConfigurer.addCallerFilters(http, admin, entryPoint);
		return http.securityMatcher(admin)
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.formLogin((form) -> form.disable())
			.httpBasic((basic) -> basic.disable())
			.logout((logout) -> logout.disable())
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(new AndRequestMatcher(upstreams, GET))
				.access(holds(AdminApi.UPSTREAM_READ))
				.requestMatchers(upstreams)
				.access(holds(AdminApi.UPSTREAM_WRITE))
				.requestMatchers(HttpMethod.GET, properties.getBasePath() + "/**")
				.access(holds(AdminApi.READ))
				.requestMatchers(mint)
				.access(holds(AdminApi.MINT_CAPABILITY))
				.anyRequest()
				.access(holds(AdminApi.WRITE)))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler((request, response, denied) -> forbidden(response, required(request, upstreams, mint))))
			.build();
	}

	/** Minting capability tokens, where this server holds a signing key. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.biscuitsec.biscuit.token.Biscuit")
	@ConditionalOnBean(CapabilityIssuer.class)
	static class CapabilityMintingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public CapabilityAdminController capabilityAdminController(CapabilityIssuer issuer) {
			return new CapabilityAdminController(issuer);
		}

	}

	/** The gateway's upstreams, where there is a gateway. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.modelcontextprotocol.client.McpSyncClient")
	@ConditionalOnBean({ McpGateway.class, RuntimeUpstreams.class })
	static class UpstreamConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public UpstreamAdminController upstreamAdminController(McpGateway gateway, RuntimeUpstreams runtime,
				AdminAuditTrail adminAuditTrail) {
			return new UpstreamAdminController(gateway, runtime, adminAuditTrail);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ AuditQueryService.class, AuditChainVerifier.class })
	static class AuditConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public AuditAdminController auditAdminController(AuditQueryService queries, AuditChainVerifier verifier) {
			return new AuditAdminController(queries, verifier);
		}

	}

	private static Scope required(HttpServletRequest request, RequestMatcher upstreams, RequestMatcher mint) {
		boolean read = HttpMethod.GET.matches(request.getMethod());
		if (upstreams.matches(request)) {
			return read ? AdminApi.UPSTREAM_READ : AdminApi.UPSTREAM_WRITE;
		}
		return read ? AdminApi.READ : mint.matches(request) ? AdminApi.MINT_CAPABILITY : AdminApi.WRITE;
	}

	private static AuthorizationManager<RequestAuthorizationContext> holds(Scope required) {
		return (authentication, context) -> new AuthorizationDecision(
				authentication.get() instanceof GovernanceAuthentication governed
						&& governed.getPrincipal().holds(required));
	}

	private static void forbidden(HttpServletResponse response, Scope required) throws IOException {
		JsonResponses.writeError(response, HttpStatus.FORBIDDEN.value(), "forbidden",
				"This admin request needs scope " + required + ", which the caller does not hold.",
				Map.of("required_scope", required.toString()));
	}

}
