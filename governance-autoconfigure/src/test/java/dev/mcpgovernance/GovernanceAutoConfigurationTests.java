package dev.mcpgovernance;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.capability.BiscuitMissingAutoConfiguration;
import dev.mcpgovernance.connector.openapi.SwaggerParserMissingAutoConfiguration;
import dev.mcpgovernance.security.GovernanceOtherPathsAutoConfiguration;
import dev.mcpgovernance.adapter.GovernanceAdapterAutoConfiguration;
import dev.mcpgovernance.admin.ApiKeyAdminController;
import dev.mcpgovernance.admin.GovernanceAdminAutoConfiguration;
import dev.mcpgovernance.admin.UpstreamAdminController;
import dev.mcpgovernance.capability.GovernanceCapabilityAutoConfiguration;
import dev.mcpgovernance.discovery.GovernanceDiscoveryAutoConfiguration;
import dev.mcpgovernance.connector.openapi.GovernanceConnectorAutoConfiguration;
import dev.mcpgovernance.audit.GovernanceAuditAutoConfiguration;
import dev.mcpgovernance.gateway.GovernanceGatewayAutoConfiguration;
import dev.mcpgovernance.identity.apikey.ApiKey;
import dev.mcpgovernance.identity.apikey.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.apikey.ApiKeyHasher;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.apikey.ApiKeyStore;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.apikey.ApiKeyCredentialKind;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.capability.CapabilityCredentialKind;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.oauth.JwtCredentialKind;
import dev.mcpgovernance.identity.oauth.OpaqueTokenAuthenticator;
import dev.mcpgovernance.identity.oauth.OpaqueTokenCredentialKind;
import dev.mcpgovernance.identity.apikey.DeclaredApiKeys;
import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.identity.oauth.GovernanceOAuthAutoConfiguration;
import dev.mcpgovernance.identity.oauth.JwtAuthenticator;
import dev.mcpgovernance.identity.apikey.InMemoryApiKeyStore;
import dev.mcpgovernance.identity.apikey.JdbcApiKeyStore;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.lint.GovernanceLintAutoConfiguration;
import dev.mcpgovernance.observability.GovernanceObservabilityAutoConfiguration;
import dev.mcpgovernance.outbound.GovernanceOutboundAutoConfiguration;
import dev.mcpgovernance.redaction.GovernanceRedactionAutoConfiguration;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.ratelimit.CallerRateLimits;
import dev.mcpgovernance.ratelimit.GovernanceRateLimitAutoConfiguration;
import dev.mcpgovernance.ratelimit.GovernanceRateLimitObservabilityAutoConfiguration;
import dev.mcpgovernance.ratelimit.ToolRateLimits;
import dev.mcpgovernance.resource.GovernanceResourceAutoConfiguration;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.GovernanceAuthenticationEntryPoint;
import dev.mcpgovernance.security.GovernanceSecurityAutoConfiguration;
import dev.mcpgovernance.security.GovernanceTransportAutoConfiguration;
import dev.mcpgovernance.session.GovernanceSessionAutoConfiguration;
import dev.mcpgovernance.session.SessionBindingFilter;
import dev.mcpgovernance.security.McpEndpoints;
import dev.mcpgovernance.security.ProtectedResourceMetadata;
import dev.mcpgovernance.security.UnprotectedBindCheck;
import dev.mcpgovernance.stdio.GovernanceStdioAutoConfiguration;
import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;
import dev.mcpgovernance.testapp.InventoryTools;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedTool;
import dev.mcpgovernance.tool.GovernedToolAspect;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerJsonMapperAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.ToolCallbackConverterAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.savedrequest.RequestCacheAwareFilter;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GovernanceAutoConfigurationTests {

	private static final String PEPPER = "a-test-pepper-of-at-least-32-characters";

	private static final List<Class<?>> OUR_AUTO_CONFIGURATIONS = List.of(GovernanceStorageAutoConfiguration.class,
			GovernanceIdentityAutoConfiguration.class, GovernanceOAuthAutoConfiguration.class,
			GovernanceToolAutoConfiguration.class, GovernanceResourceAutoConfiguration.class,
			GovernanceTransportAutoConfiguration.class, GovernanceSecurityAutoConfiguration.class, GovernanceStdioAutoConfiguration.class,
			GovernanceRedactionAutoConfiguration.class, GovernanceRateLimitAutoConfiguration.class,
			GovernanceRateLimitObservabilityAutoConfiguration.class, GovernanceAdminAutoConfiguration.class,
			GovernanceCapabilityAutoConfiguration.class, BiscuitMissingAutoConfiguration.class,
			GovernanceOtherPathsAutoConfiguration.class, SwaggerParserMissingAutoConfiguration.class,
			GovernanceLintAutoConfiguration.class,
			GovernanceObservabilityAutoConfiguration.class,
			GovernanceDiscoveryAutoConfiguration.class,
			GovernanceOutboundAutoConfiguration.class,
			GovernanceConnectorAutoConfiguration.class,
			GovernanceAuditAutoConfiguration.class,
			GovernanceAdapterAutoConfiguration.class,
			GovernanceGatewayAutoConfiguration.class,
			GovernanceSessionAutoConfiguration.class);

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				AopAutoConfiguration.class, McpServerJsonMapperAutoConfiguration.class,
				ToolCallbackConverterAutoConfiguration.class, McpServerStreamableHttpWebMvcAutoConfiguration.class,
				McpServerAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(OUR_AUTO_CONFIGURATIONS.toArray(Class<?>[]::new)))
		.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE");

	private final WebApplicationContextRunner withPepper = this.runner
		.withPropertyValues("mcp.governance.api-keys.pepper=" + PEPPER);

	private WebApplicationContextRunner withDataSource(WebApplicationContextRunner runner) {
		return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:mcpg_" + UUID.randomUUID());
	}

	@Nested
	class AdminApi {

		@Test
		void isOffUnlessEnabled() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ApiKeyAdminController.class)
					.doesNotHaveBean("mcpGovernanceAdminFilterChain");
			});
		}

		@Test
		void whenEnabledServesTheControllerBehindItsOwnChain() {
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.admin.enabled=true")
				.run((context) -> {
					assertThat(context).hasSingleBean(ApiKeyAdminController.class)
						.hasBean("mcpGovernanceAdminFilterChain");
					SecurityFilterChain chain = context.getBean("mcpGovernanceAdminFilterChain", SecurityFilterChain.class);
					assertThat(chain.matches(new MockHttpServletRequest("GET", "/mcp-governance/admin/api-keys"))).isTrue();
					assertThat(chain.matches(new MockHttpServletRequest("GET", "/api/orders"))).isFalse();
				});
		}

		@Test
		void needsApiKeysToManage() {
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("server.address=127.0.0.1", "mcp.governance.admin.enabled=true")
				.run((context) -> assertThat(context).doesNotHaveBean(ApiKeyAdminController.class));
		}

		@Test
		void upstreamEndpointsOnlyWithAGateway() {
			WebApplicationContextRunner admin = GovernanceAutoConfigurationTests.this.withPepper
				.withPropertyValues("mcp.governance.admin.enabled=true");
			admin.run((context) -> assertThat(context).hasSingleBean(UpstreamAdminController.class));
			admin.withPropertyValues("mcp.governance.gateway.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpstreamAdminController.class));
			admin.withClassLoader(new FilteredClassLoader("io.modelcontextprotocol.client"))
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UpstreamAdminController.class));
		}

		@Test
		void aUserControllerReplacesOurs() {
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.admin.enabled=true")
				.withBean("ownAdminController", ApiKeyAdminController.class,
						() -> new ApiKeyAdminController(null))
				.run((context) -> assertThat(context).getBean(ApiKeyAdminController.class)
					.isSameAs(context.getBean("ownAdminController")));
		}

	}

	@Nested
	class Defaults {

		@Test
		void createsTheGovernanceBeans() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ApiKeyAuthenticator.class)
					.hasSingleBean(ApiKeyManager.class)
					.hasSingleBean(ApiKeyHasher.class)
					.hasSingleBean(DeclaredApiKeys.class)
					.hasSingleBean(ToolCallGovernor.class)
					.hasSingleBean(ToolErrorClassifier.class)
					.hasSingleBean(GovernedToolRegistry.class)
					.hasSingleBean(GovernedToolSpecifications.class)
					.hasSingleBean(GovernedToolAspect.class)
					.hasSingleBean(McpEndpoints.class)
					.hasSingleBean(ProtectedResourceMetadata.class)
					.hasSingleBean(GovernanceAuthenticationEntryPoint.class)
					.hasSingleBean(UnprotectedBindCheck.class)
					.hasSingleBean(CallerIdentityContextExtractor.class)
					.hasSingleBean(Redactor.class)
					.hasBean("mcpGovernanceSecurityFilterChain")
					.hasBean("mcpGovernanceResourceMetadataRoutes");
			});
		}

		@Test
		void storesKeysInMemoryWithoutADataSource() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				assertThat(context).hasSingleBean(ApiKeyStore.class)
					.hasSingleBean(InMemoryApiKeyStore.class)
					.doesNotHaveBean(JdbcApiKeyStore.class)
					.doesNotHaveBean(GovernanceSchemaMigrator.class);
			});
		}

		@Test
		void transportCarriesTheVerifiedCallerIntoTheMcpContext() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				assertThat(context).hasSingleBean(WebMvcStreamableServerTransportProvider.class);
				WebMvcStreamableServerTransportProvider transport = context
					.getBean(WebMvcStreamableServerTransportProvider.class);
				assertThat(ReflectionTestUtils.getField(transport, "contextExtractor"))
					.isSameAs(context.getBean(CallerIdentityContextExtractor.class));
			});
		}

		@Test
		void securityChainCoversTheMcpEndpointsAndTheirWellKnownDocumentOnly() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				SecurityFilterChain chain = context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class);
				assertThat(chain.matches(new MockHttpServletRequest("POST", "/mcp"))).isTrue();
				assertThat(chain.matches(new MockHttpServletRequest("GET", "/sse"))).isTrue();
				assertThat(chain.matches(new MockHttpServletRequest("POST", "/mcp/message"))).isTrue();
				assertThat(chain.matches(new MockHttpServletRequest("GET", "/.well-known/oauth-protected-resource/mcp")))
					.isTrue();
				assertThat(chain.matches(new MockHttpServletRequest("GET", "/api/orders"))).isFalse();
				assertThat(chain.matches(new MockHttpServletRequest("GET", "/mcpx"))).isFalse();
			});
		}

		/**
		 * What the starter's chain leaves out: each filter is a step of every call, and the request
		 * wrapper of the servlet-API filter one more layer for every header read (issue 23).
		 */
		@Test
		void theStartersChainHasNoServletApiWrapperAnonymousTokenOrCsrfFilter() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				List<Class<?>> filters = context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class)
					.getFilters()
					.stream()
					.<Class<?>>map(Object::getClass)
					.toList();
				assertThat(filters).doesNotContain(SecurityContextHolderAwareRequestFilter.class,
						AnonymousAuthenticationFilter.class, CsrfFilter.class, RequestCacheAwareFilter.class,
						LogoutFilter.class);
				assertThat(filters).contains(SecurityContextHolderFilter.class, HeaderWriterFilter.class,
						ExceptionTranslationFilter.class, AuthorizationFilter.class);
			});
		}

		@Test
		void theAsyncDispatchOfAnMcpAnswerSkipsTheFiltersInAChainOfTheStarterBeforeAnyOther() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				SecurityFilterChain async = context.getBean("mcpGovernanceAsyncDispatchFilterChain",
						SecurityFilterChain.class);
				assertThat(async.getFilters()).isEmpty();
				assertThat(async.matches(dispatch(DispatcherType.ASYNC, "POST", "/mcp"))).isTrue();
				assertThat(async.matches(dispatch(DispatcherType.ASYNC, "GET", "/sse"))).isTrue();
				assertThat(async.matches(dispatch(DispatcherType.REQUEST, "POST", "/mcp"))).isFalse();
				assertThat(async.matches(dispatch(DispatcherType.ERROR, "POST", "/mcp"))).isFalse();
				assertThat(async.matches(dispatch(DispatcherType.ASYNC, "GET", "/api/orders"))).isFalse();
				assertThat(async.matches(dispatch(DispatcherType.ASYNC, "GET", "/.well-known/oauth-protected-resource/mcp")))
					.isFalse();
				List<SecurityFilterChain> chains = context.getBeanProvider(SecurityFilterChain.class).orderedStream().toList();
				assertThat(chains.indexOf(async)).isLessThan(
						chains.indexOf(context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class)));
			});
		}

		private static MockHttpServletRequest dispatch(DispatcherType type, String method, String path) {
			MockHttpServletRequest request = new MockHttpServletRequest(method, path);
			request.setDispatcherType(type);
			return request;
		}

		@Test
		void createdKeysAuthenticateThroughTheWiredBeans() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				ApiKeyManager.CreatedApiKey created = context.getBean(ApiKeyManager.class)
					.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"), null, null);
				assertThat(context.getBean(ApiKeyAuthenticator.class).authenticate(created.secret(), Transport.HTTP))
					.isInstanceOf(AuthenticationOutcome.Authenticated.class);
			});
		}

	}

	@Nested
	class WithADataSource {

		@Test
		void storesKeysInTheDatabaseAndMigratesItsSchema() {
			withDataSource(GovernanceAutoConfigurationTests.this.withPepper).run((context) -> {
				assertThat(context).hasSingleBean(ApiKeyStore.class)
					.hasSingleBean(JdbcApiKeyStore.class)
					.hasSingleBean(GovernanceSchemaMigrator.class)
					.doesNotHaveBean(InMemoryApiKeyStore.class)
					.doesNotHaveBean(Flyway.class);
				ApiKeyManager.CreatedApiKey created = context.getBean(ApiKeyManager.class)
					.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"), 30, null);
				assertThat(context.getBean(JdbcApiKeyStore.class).findAll()).extracting(ApiKey::id)
					.containsExactly(created.key().id());
				assertThat(context.getBean(ApiKeyAuthenticator.class).authenticate(created.secret(), Transport.HTTP))
					.isInstanceOf(AuthenticationOutcome.Authenticated.class);
			});
		}

		@Test
		void hostFlywayStillMigratesAFreshDatabase() {
			// The host's own Flyway refuses a non-empty schema without its history table, so the
			// starter's tables must not be created before the host's migrations have run.
			withDataSource(GovernanceAutoConfigurationTests.this.withPepper)
				.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
				.withPropertyValues("spring.flyway.locations=classpath:db/host-migration")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					JdbcClient jdbc = JdbcClient.create(context.getBean(DataSource.class));
					assertThat(jdbc.sql("SELECT COUNT(*) FROM host_item").query(Integer.class).single()).isZero();
					assertThat(jdbc.sql("SELECT COUNT(*) FROM mcp_governance_api_key").query(Integer.class).single())
						.isZero();
					assertThat(context.getBean(Flyway.class).info().applied()).hasSize(1);
				});
		}

		@Test
		void withoutFlywayStopsStartUpRatherThanWriteToTablesNobodyCreated() {
			withDataSource(GovernanceAutoConfigurationTests.this.withPepper)
				.withClassLoader(new FilteredClassLoader(Flyway.class))
				.run((context) -> assertThat(context).hasFailed());
		}

		@Test
		void withoutFlywayAndWithTablesOfItsOwnKeepsTheJdbcStoreButRunsNoMigrator() {
			withDataSource(GovernanceAutoConfigurationTests.this.withPepper)
				.withClassLoader(new FilteredClassLoader(Flyway.class))
				.withPropertyValues("mcp.governance.storage.migrate-schema=false")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(JdbcApiKeyStore.class)
						.doesNotHaveBean(GovernanceSchemaMigrator.class)
						.doesNotHaveBean(InMemoryApiKeyStore.class);
				});
		}

		@Test
		void migrateSchemaFalseRunsNoMigrator() {
			withDataSource(GovernanceAutoConfigurationTests.this.withPepper)
				.withPropertyValues("mcp.governance.storage.migrate-schema=false")
				.run((context) -> assertThat(context).hasSingleBean(JdbcApiKeyStore.class)
					.doesNotHaveBean(GovernanceSchemaMigrator.class));
		}

		@Test
		void userDefinedStoreReplacesTheJdbcStore() {
			withDataSource(GovernanceAutoConfigurationTests.this.withPepper)
				.withUserConfiguration(UserApiKeyStoreConfiguration.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(ApiKeyStore.class).doesNotHaveBean(JdbcApiKeyStore.class);
					assertThat(context.getBean(ApiKeyStore.class)).isSameAs(context.getBean("userApiKeyStore"));
				});
		}

	}

	@Nested
	class SwitchedOff {

		@Test
		void enabledFalseCreatesNoneOfOurBeans() {
			// Nor does it check the bind address: there is nothing of ours to protect.
			GovernanceAutoConfigurationTests.this.runner.withPropertyValues("mcp.governance.enabled=false")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					List<String> ours = Arrays.stream(context.getBeanDefinitionNames())
						.filter((name) -> isOurs(context.getType(name)))
						.toList();
					assertThat(ours).isEmpty();
					assertThat(context).doesNotHaveBean("mcpGovernanceSecurityFilterChain")
						.hasSingleBean(WebMvcStreamableServerTransportProvider.class);
				});
		}

		@Test
		void chainFalseRegistersNoFilterChainButKeepsItsParts() {
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.security.chain=false")
				.run((context) -> assertThat(context).doesNotHaveBean("mcpGovernanceSecurityFilterChain")
					.hasSingleBean(McpEndpoints.class)
					.hasSingleBean(GovernanceAuthenticationEntryPoint.class)
					.hasSingleBean(ApiKeyAuthenticator.class));
		}

		@Test
		void withoutAPepperThereIsNoApiKeyAuthentication() {
			GovernanceAutoConfigurationTests.this.runner.withPropertyValues("server.address=127.0.0.1")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).doesNotHaveBean(ApiKeyAuthenticator.class)
						.doesNotHaveBean(ApiKeyManager.class)
						.doesNotHaveBean(ApiKeyHasher.class)
						.hasBean("mcpGovernanceSecurityFilterChain");
				});
		}

		private static boolean isOurs(Class<?> type) {
			return type != null && type.getName().startsWith("dev.mcpgovernance.")
					&& !type.getName().startsWith(GovernanceAutoConfigurationTests.class.getName());
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class Properties {

		@Test
		void exposureDecidesWhetherUngovernedToolsRun() {
			CallerIdentity caller = new CallerIdentity("key_1", "alice", null,
					ScopeSet.parseSpaceSeparated("orders:*:*"), null, Transport.HTTP);
			Tool tool = Tool.builder().name("ungoverned").build();
			CallToolResult ok = CallToolResult.builder().addTextContent("done").build();

			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> assertThat(
					context.getBean(ToolCallGovernor.class).call(tool, Map.of(), caller, () -> ok).isError())
				.isTrue());
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.exposure=allow-ungoverned")
				.run((context) -> assertThat(context.getBean(ToolCallGovernor.class).call(tool, Map.of(), caller, () -> ok))
					.isSameAs(ok));
		}

		@Test
		void aGovernedMethodReachedOutsideAnMcpCallFailsClosed() {
			CallerIdentity reader = new CallerIdentity("key_1", "alice", null,
					ScopeSet.parseSpaceSeparated("inventory:item:read"), null, Transport.HTTP);
			CallerIdentity stranger = new CallerIdentity("key_2", "bob", null,
					ScopeSet.parseSpaceSeparated("orders:*:*"), null, Transport.HTTP);
			ContextConsumer<AssertableWebApplicationContext> fenced = (context) -> {
				InventoryTools tools = context.getBean(InventoryTools.class);
				assertThat(catchThrowableOfType(ToolErrorException.class, () -> tools.countItems("bolt", 3)).error()
					.code()).as("no caller").isEqualTo(ToolErrorCode.UNAUTHENTICATED);
				assertThat(catchThrowableOfType(ToolErrorException.class,
						() -> GovernanceContext.callAs(stranger, () -> tools.countItems("bolt", 3)))
					.error()).as("a caller without the scope")
					.satisfies((error) -> assertThat(error.code()).isEqualTo(ToolErrorCode.FORBIDDEN))
					.satisfies((error) -> assertThat(error.message()).contains("inventory:item:read"));
				assertThat(GovernanceContext.callAs(reader, () -> tools.countItems("bolt", 3))).isEqualTo(3);
				ToolError failed = catchThrowableOfType(ToolErrorException.class,
						() -> GovernanceContext.callAs(reader, tools::leakyFailure))
					.error();
				assertThat(failed.code()).isEqualTo(ToolErrorCode.INTERNAL_ERROR);
				assertThat(failed.toString()).doesNotContain("SELECT", "db-7.internal", "IllegalStateException");
			};
			GovernanceAutoConfigurationTests.this.withPepper.withBean(InventoryTools.class).run(fenced);
			// Without AspectJ, Boot's auto-proxy creator applies infrastructure advisors only: still fenced.
			GovernanceAutoConfigurationTests.this.withPepper.withBean(InventoryTools.class)
				.withClassLoader(new FilteredClassLoader("org.aspectj"))
				.run(fenced);
		}

		@Test
		void theFenceMakesNoBeanOfTheStarterMissPostProcessing(CapturedOutput output) {
			GovernanceAutoConfigurationTests.this.withPepper.withBean(InventoryTools.class)
				.run((context) -> assertThat(context).hasNotFailed());
			// The auto-proxy creator builds advisors first: one that needed beans would have them built
			// before the post-processors, and Spring warns of each such bean.
			assertThat(output.getAll().lines().filter((line) -> line.contains("is not eligible for getting processed"))
				.filter((line) -> line.contains("dev.mcpgovernance") || line.contains("mcp.governance")))
				.isEmpty();
		}

		@Test
		void aspectOrderIsConfigurable() {
			GovernanceAutoConfigurationTests.this.withPepper
				.run((context) -> assertThat(context.getBean(GovernedToolAspect.class).getOrder())
					.isEqualTo(GovernedToolAspect.DEFAULT_ORDER));
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.tools.aspect-order=42")
				.run((context) -> assertThat(context.getBean(GovernedToolAspect.class).getOrder()).isEqualTo(42));
		}

		@Test
		void domainCompletesGovernedToolsThatNameNone() throws NoSuchMethodException {
			GovernedTool annotation = DomainlessTool.class.getDeclaredMethod("read").getAnnotation(GovernedTool.class);

			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.domain=orders")
				.run((context) -> assertThat(
						context.getBean(GovernedToolRegistry.class).requiredScope(annotation, "DomainlessTool#read"))
					.hasToString("orders:order:read"));
		}

		@Test
		void mcpEndpointFollowsSpringAiProperties() {
			GovernanceAutoConfigurationTests.this.withPepper
				.withPropertyValues("spring.ai.mcp.server.streamable-http.mcp-endpoint=/tools")
				.run((context) -> {
					assertThat(context.getBean(McpEndpoints.class).primaryPath()).isEqualTo("/tools");
					SecurityFilterChain chain = context.getBean("mcpGovernanceSecurityFilterChain",
							SecurityFilterChain.class);
					assertThat(chain.matches(new MockHttpServletRequest("POST", "/tools"))).isTrue();
				});
		}

	}

	@Nested
	class UserOverrides {

		@Test
		void userApiKeyStoreReplacesOurs() {
			assertReplaced(UserApiKeyStoreConfiguration.class, ApiKeyStore.class, "userApiKeyStore");
		}

		@Test
		void userApiKeyAuthenticatorReplacesOurs() {
			GovernanceAutoConfigurationTests.this.withPepper.withUserConfiguration(UserAuthenticatorConfiguration.class)
				.run((context) -> {
					assertThat(context).hasSingleBean(ApiKeyAuthenticator.class);
					assertThat(context.getBean(ApiKeyAuthenticator.class)).isSameAs(context.getBean("userAuthenticator"));
					assertThat(context).hasSingleBean(ApiKeyManager.class);
				});
		}

		@Test
		void userToolErrorClassifierReplacesOurs() {
			assertReplaced(UserClassifierConfiguration.class, ToolErrorClassifier.class, "userClassifier");
		}

		@Test
		void userToolCallGovernorReplacesOurs() {
			assertReplaced(UserGovernorConfiguration.class, ToolCallGovernor.class, "userGovernor");
		}

		@Test
		void userMcpEndpointsReplaceOursAndDecideWhatTheChainCovers() {
			assertReplaced(UserEndpointsConfiguration.class, McpEndpoints.class, "userEndpoints");
			GovernanceAutoConfigurationTests.this.withPepper.withUserConfiguration(UserEndpointsConfiguration.class)
				.run((context) -> {
					SecurityFilterChain chain = context.getBean("mcpGovernanceSecurityFilterChain",
							SecurityFilterChain.class);
					assertThat(chain.matches(new MockHttpServletRequest("POST", "/custom"))).isTrue();
					assertThat(chain.matches(new MockHttpServletRequest("POST", "/mcp"))).isFalse();
				});
		}

		@Test
		void userProtectedResourceMetadataReplacesOurs() {
			assertReplaced(UserMetadataConfiguration.class, ProtectedResourceMetadata.class, "userMetadata");
		}

		@Test
		void userAuthenticationEntryPointReplacesOurs() {
			assertReplaced(UserEntryPointConfiguration.class, GovernanceAuthenticationEntryPoint.class, "userEntryPoint");
		}

		@Test
		void userContextExtractorReplacesOursAndIsUsedByTheTransport() {
			assertReplaced(UserExtractorConfiguration.class, CallerIdentityContextExtractor.class, "userExtractor");
			GovernanceAutoConfigurationTests.this.withPepper.withUserConfiguration(UserExtractorConfiguration.class)
				.run((context) -> assertThat(ReflectionTestUtils
					.getField(context.getBean(WebMvcStreamableServerTransportProvider.class), "contextExtractor"))
					.isSameAs(context.getBean("userExtractor")));
		}

		private void assertReplaced(Class<?> configuration, Class<?> type, String userBeanName) {
			GovernanceAutoConfigurationTests.this.withPepper.withUserConfiguration(configuration).run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(type);
				assertThat(context.getBean(type)).isSameAs(context.getBean(userBeanName));
			});
		}

	}

	@Nested
	class OAuth {

		private static final String ISSUER = "https://idp.example/realms/acme";

		private final WebApplicationContextRunner withIssuer = GovernanceAutoConfigurationTests.this.runner
			.withPropertyValues("mcp.governance.resource=https://mcp.example.com/mcp",
					"mcp.governance.oauth.issuers.acme.issuer-uri=" + ISSUER,
					"mcp.governance.oauth.issuers.acme.jwk-set-uri=" + ISSUER + "/protocol/openid-connect/certs");

		@Test
		void trustedIssuersCreateTheJwtAuthenticatorAndTheFiltersThatUseIt() {
			// No pepper and every interface: OAuth alone counts as authentication configured.
			this.withIssuer.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(JwtAuthenticator.class)
					.doesNotHaveBean(ApiKeyAuthenticator.class);
				assertThat(context.getBean(JwtAuthenticator.class).issuers()).containsExactly(ISSUER);
				assertThat(context.getBean(ProtectedResourceMetadata.class)
					.document(new MockHttpServletRequest("GET", "/.well-known/oauth-protected-resource")))
					.containsEntry("authorization_servers", List.of(ISSUER));
				List<Filter> filters = filters(context);
				assertThat(kinds(filters)).noneMatch(ApiKeyCredentialKind.class::isInstance)
					.anyMatch(JwtCredentialKind.class::isInstance);
				assertThat(indexOf(filters, AUTHENTICATION))
					.isLessThan(indexOf(filters, named("CallerRequiredFilter")));
				// The session check sits between the body checks and the step-up: another caller's session is refused first.
				assertThat(indexOf(filters, SessionBindingFilter.class::isInstance))
					.isEqualTo(indexOf(filters, named("JsonRpcRequestFilter")) + 1);
				assertThat(indexOf(filters, named("ScopeStepUpFilter")))
					.isEqualTo(indexOf(filters, SessionBindingFilter.class::isInstance) + 1);
			});
		}

		@Test
		void anIntrospectionEndpointAddsTheOpaqueKindAfterJwtsWhichThenClaimJwtsOnly() {
			this.withIssuer
				.withPropertyValues("mcp.governance.oauth.issuers.acme.introspection-uri=" + ISSUER + "/introspect",
						"mcp.governance.oauth.issuers.acme.introspection-client-id=mcp-server",
						"mcp.governance.oauth.issuers.acme.introspection-client-secret=s3cret",
						"mcp.governance.api-keys.pepper=" + PEPPER, "mcp.governance.admin.enabled=true")
				.run((context) -> {
					assertThat(context).hasNotFailed()
						.hasSingleBean(OpaqueTokenAuthenticator.class)
						.hasSingleBean(OpaqueTokenCredentialKind.class);
					assertThat(context.getBean(OpaqueTokenAuthenticator.class).issuers()).containsExactly(ISSUER);
					List<CredentialKind> kinds = kinds(filters(context));
					assertThat(indexOf(kinds, JwtCredentialKind.class::isInstance))
						.isLessThan(indexOf(kinds, OpaqueTokenCredentialKind.class::isInstance));
					assertThat(ReflectionTestUtils.getField(context.getBean(JwtCredentialKind.class), "jwtsOnly"))
						.isEqualTo(true);
					assertThat(kinds(context.getBean("mcpGovernanceAdminFilterChain", SecurityFilterChain.class)
						.getFilters())).anyMatch(OpaqueTokenCredentialKind.class::isInstance);
				});
		}

		@Test
		void withoutAnIntrospectionEndpointJwtsClaimEveryBearerTokenAndThereIsNoOpaqueKind() {
			this.withIssuer.run((context) -> {
				assertThat(context).doesNotHaveBean(OpaqueTokenAuthenticator.class)
					.doesNotHaveBean(OpaqueTokenCredentialKind.class);
				assertThat(ReflectionTestUtils.getField(context.getBean(JwtCredentialKind.class), "jwtsOnly"))
					.isEqualTo(false);
			});
		}

		@Test
		void anIntrospectionEndpointWithoutClientCredentialsStopsStartUpNamingThem() {
			this.withIssuer.withPropertyValues("mcp.governance.oauth.issuers.acme.introspection-uri=" + ISSUER + "/introspect")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("'acme' has an introspection-uri but no client credentials")
					.satisfies((ex) -> assertThat(((GovernanceConfigurationException) ex).getAction())
						.contains("mcp.governance.oauth.issuers.acme.introspection-client-secret")));
		}

		@Test
		void issuerUriAloneStartsWithoutReachingTheIssuer() {
			// Keys are discovered on first use, so an identity provider that is down does not stop start-up.
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("mcp.governance.resource=https://mcp.example.com/mcp",
						"mcp.governance.oauth.issuers.acme.issuer-uri=http://127.0.0.1:9/realms/acme")
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JwtAuthenticator.class));
		}

		@Test
		void apiKeysAndJwtsRunSideBySideWithTheApiKeyFilterFirst() {
			this.withIssuer.withPropertyValues("mcp.governance.api-keys.pepper=" + PEPPER).run((context) -> {
				List<Filter> filters = filters(context);
				assertThat(indexOf(kinds(filters), ApiKeyCredentialKind.class::isInstance))
					.isLessThan(indexOf(kinds(filters), JwtCredentialKind.class::isInstance));
			});
		}

		@Test
		void capabilityFilterRunsFirstOnTheMcpChainOnly() {
			this.withIssuer
				.withPropertyValues("mcp.governance.api-keys.pepper=" + PEPPER, "mcp.governance.admin.enabled=true",
						"server.address=127.0.0.1", "mcp.governance.capability.public-keys[0].id=1",
						"mcp.governance.capability.public-keys[0].key="
								+ new org.biscuitsec.biscuit.crypto.KeyPair().public_key().toHex())
				.run((context) -> {
					List<Filter> filters = filters(context);
					assertThat(indexOf(kinds(filters), CapabilityCredentialKind.class::isInstance)).isNotNegative()
						.isLessThan(indexOf(kinds(filters), ApiKeyCredentialKind.class::isInstance));
					assertThat(indexOf(filters, AUTHENTICATION))
						.isLessThan(indexOf(filters, named("CallerRequiredFilter")));
					assertThat(kinds(context.getBean("mcpGovernanceAdminFilterChain", SecurityFilterChain.class).getFilters()))
						.noneMatch(CapabilityCredentialKind.class::isInstance)
						.anyMatch(ApiKeyCredentialKind.class::isInstance);
				});
		}

		@Test
		void apiKeysEnabledFalseLeavesOnlyJwts() {
			this.withIssuer.withPropertyValues("mcp.governance.api-keys.pepper=" + PEPPER,
					"mcp.governance.api-keys.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(ApiKeyAuthenticator.class)
					.doesNotHaveBean(ApiKeyManager.class)
					.hasSingleBean(JwtAuthenticator.class));
		}

		@Test
		void stepUpFalseRegistersNoStepUpFilter() {
			this.withIssuer.withPropertyValues("mcp.governance.security.step-up=false")
				.run((context) -> {
					assertThat(filters(context)).noneMatch(named("ScopeStepUpFilter"));
					assertThat(kinds(filters(context))).anyMatch(JwtCredentialKind.class::isInstance);
				});
		}

		@Test
		void withoutIssuersThereIsNoJwtAuthentication() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				assertThat(context).doesNotHaveBean(JwtAuthenticator.class);
				assertThat(kinds(filters(context))).noneMatch(JwtCredentialKind.class::isInstance);
				assertThat(filters(context)).noneMatch(named("ScopeStepUpFilter"));
				assertThat(context.getBean(ProtectedResourceMetadata.class)
					.document(new MockHttpServletRequest("GET", "/.well-known/oauth-protected-resource")))
					.containsEntry("authorization_servers", List.of());
			});
		}

		@Test
		void enabledFalseTurnsJwtsOffSoAnOpenBindFails() {
			this.withIssuer.withPropertyValues("mcp.governance.oauth.enabled=false")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("no authentication configured"));
			this.withIssuer.withPropertyValues("mcp.governance.oauth.enabled=false", "server.address=127.0.0.1")
				.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(JwtAuthenticator.class));
		}

		@Test
		void withoutSpringSecurityOAuth2OnTheClassPathThereIsNoJwtAuthentication() {
			this.withIssuer.withPropertyValues("mcp.governance.api-keys.pepper=" + PEPPER)
				.withClassLoader(new FilteredClassLoader(NimbusJwtDecoder.class))
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(JwtAuthenticator.class)
					.hasSingleBean(ApiKeyAuthenticator.class));
		}

		@Test
		void userJwtAuthenticatorReplacesOursAndIsUsedByTheChain() {
			this.withIssuer.withUserConfiguration(UserJwtAuthenticatorConfiguration.class).run((context) -> {
				assertThat(context).hasSingleBean(JwtAuthenticator.class);
				assertThat(context.getBean(JwtAuthenticator.class)).isSameAs(context.getBean("userJwtAuthenticator"));
				CredentialKind jwt = kinds(filters(context)).stream()
					.filter(JwtCredentialKind.class::isInstance)
					.findFirst()
					.orElseThrow();
				assertThat(ReflectionTestUtils.getField(jwt, "authenticator"))
					.isSameAs(context.getBean("userJwtAuthenticator"));
			});
		}

		@ParameterizedTest
		@ValueSource(strings = { "HS256", "HS384", "HS512", "none" })
		void symmetricOrNoAlgorithmStopsStartUpEvenNextToAnAsymmetricOne(String algorithm) {
			this.withIssuer.withPropertyValues("mcp.governance.oauth.issuers.acme.algorithms=RS256," + algorithm)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("mcp.governance.oauth.issuers.acme.algorithms")
					.hasMessageContaining("'" + algorithm + "'"));
		}

		@Test
		void asymmetricAlgorithmsOfEveryFamilyAreAccepted() {
			this.withIssuer.withPropertyValues("mcp.governance.oauth.issuers.acme.algorithms=RS512,PS256,ES384")
				.run((context) -> assertThat(context).hasNotFailed());
		}

		@Test
		void issuerWithoutAnAudienceAndNoResourceStopsStartUp() {
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("mcp.governance.oauth.issuers.acme.issuer-uri=" + ISSUER)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("'acme' has no audience")
					.satisfies((ex) -> assertThat(((GovernanceConfigurationException) ex).getAction())
						.contains("mcp.governance.resource")));
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("mcp.governance.oauth.issuers.acme.issuer-uri=" + ISSUER,
						"mcp.governance.oauth.issuers.acme.audience=api://mcp-orders")
				.run((context) -> assertThat(context).hasNotFailed());
		}

		@Test
		void issuerWithoutIssuerUriFailsValidationNamingIt() {
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("mcp.governance.resource=https://mcp.example.com/mcp",
						"mcp.governance.oauth.issuers.acme.jwk-set-uri=" + ISSUER + "/certs")
				.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("issuerUri"));
		}

		private static List<Filter> filters(org.springframework.context.ApplicationContext context) {
			return context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class).getFilters();
		}

		/** The filter that authenticates with the credential kinds (package-private in security). */
		private static final Predicate<Filter> AUTHENTICATION = named("CredentialAuthenticationFilter");

		/** A filter of the security package, whose filters are package-private. */
		private static Predicate<Filter> named(String simpleName) {
			return (filter) -> filter.getClass().getSimpleName().equals(simpleName);
		}

		/** The credential kinds a chain authenticates with, in the order it asks them. */
		@SuppressWarnings("unchecked")
		private static List<CredentialKind> kinds(List<Filter> filters) {
			return filters.stream()
				.filter(AUTHENTICATION)
				.findFirst()
				.map((filter) -> (List<CredentialKind>) ReflectionTestUtils.getField(filter, "kinds"))
				.orElse(List.of());
		}

		private static <T> int indexOf(List<T> elements, Predicate<? super T> element) {
			for (int i = 0; i < elements.size(); i++) {
				if (element.test(elements.get(i))) {
					return i;
				}
			}
			throw new AssertionError("Not in the chain: " + elements);
		}

	}

	@Nested
	class StartupFailures {

		@Test
		void declaredKeysWithoutAPepperFailNamingThePepper() {
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("server.address=127.0.0.1", "mcp.governance.api-keys.declared[0].id=key_ops",
						"mcp.governance.api-keys.declared[0].hash=" + "a".repeat(64),
						"mcp.governance.api-keys.declared[0].owner-id=ops",
						"mcp.governance.api-keys.declared[0].scopes[0]=orders:order:read")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("mcp.governance.api-keys.declared")
					.satisfies((ex) -> assertThat(((GovernanceConfigurationException) ex).getAction())
						.contains("mcp.governance.api-keys.pepper")));
		}

		@Test
		void declaredKeyWithAMalformedScopeFailsNamingTheKeyAndScope() {
			GovernanceAutoConfigurationTests.this.withPepper
				.withPropertyValues("mcp.governance.api-keys.declared[0].id=key_ops",
						"mcp.governance.api-keys.declared[0].hash=" + "a".repeat(64),
						"mcp.governance.api-keys.declared[0].owner-id=ops",
						"mcp.governance.api-keys.declared[0].scopes[0]=orders:Order:read")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("key_ops")
					.hasMessageContaining("orders:Order:read"));
		}

		@Test
		void twoDeclaredKeysWithTheSameSecretFailNamingBoth() {
			GovernanceAutoConfigurationTests.this.withPepper
				.withPropertyValues("mcp.governance.api-keys.declared[0].id=key_one",
						"mcp.governance.api-keys.declared[0].hash=" + "b".repeat(64),
						"mcp.governance.api-keys.declared[0].owner-id=ops",
						"mcp.governance.api-keys.declared[0].scopes[0]=orders:order:read",
						"mcp.governance.api-keys.declared[1].id=key_two",
						"mcp.governance.api-keys.declared[1].hash=" + "b".repeat(64),
						"mcp.governance.api-keys.declared[1].owner-id=ops",
						"mcp.governance.api-keys.declared[1].scopes[0]=orders:order:read")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("key_one")
					.hasMessageContaining("key_two")
					.hasMessageContaining("same hash"));
		}

		@Test
		void pepperShorterThan32CharactersFailsNamingThePropertyButNotItsValue() {
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("mcp.governance.api-keys.pepper=" + PEPPER.substring(0, 31))
				.run((context) -> {
					assertThat(context).getFailure().rootCause().isInstanceOf(GovernanceConfigurationException.class);
					assertThat(allMessages(context.getStartupFailure())).contains("mcp.governance.api-keys.pepper")
						.doesNotContain(PEPPER.substring(0, 31));
				});
		}

		@ParameterizedTest
		@ValueSource(strings = { "", "server.address=0.0.0.0", "server.address=192.0.2.10" })
		void listeningBeyondLoopbackWithoutAuthenticationFails(String address) {
			GovernanceAutoConfigurationTests.this.runner.withPropertyValues(address)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("no authentication configured"));
		}

		@ParameterizedTest
		@ValueSource(strings = { "127.0.0.1", "::1", "localhost" })
		void loopbackOnlyStartsWithoutAuthentication(String address) {
			GovernanceAutoConfigurationTests.this.runner.withPropertyValues("server.address=" + address)
				.run((context) -> assertThat(context).hasNotFailed());
		}

		@Test
		void allInterfacesStartWithCapabilityKeysAlone() {
			GovernanceAutoConfigurationTests.this.runner
				.withPropertyValues("server.address=0.0.0.0", "mcp.governance.capability.public-keys[0].id=1",
						"mcp.governance.capability.public-keys[0].key=" + new org.biscuitsec.biscuit.crypto.KeyPair()
							.public_key()
							.toHex())
				.run((context) -> assertThat(context).hasNotFailed());
		}

		@Test
		void allInterfacesStartWithAPepper() {
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("server.address=0.0.0.0")
				.run((context) -> assertThat(context).hasNotFailed());
		}

		private static String allMessages(Throwable failure) {
			StringBuilder messages = new StringBuilder();
			for (Throwable current = failure; current != null; current = current.getCause()) {
				messages.append(current.getMessage()).append('\n');
			}
			return messages.toString();
		}

	}

	@Nested
	class RateLimitWiring {

		/** The simple names of the chain's filters (the security package's are package-private). */
		private List<String> filters(org.springframework.context.ApplicationContext context) {
			return context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class)
				.getFilters()
				.stream()
				.map((filter) -> filter.getClass().getSimpleName())
				.toList();
		}

		@Test
		void perCallerLimitSitsAfterTheCallerGateAndBeforeTheBodyChecks() {
			GovernanceAutoConfigurationTests.this.withPepper.run((context) -> {
				assertThat(context).hasSingleBean(CallerRateLimits.class).hasSingleBean(ToolRateLimits.class);
				assertThat(filters(context)).containsSubsequence("CallerRequiredFilter", "CallerRateLimitFilter",
						"JsonRpcRequestFilter");
			});
		}

		@Test
		void rateLimitEnabledFalseLeavesTheFilterOut() {
			GovernanceAutoConfigurationTests.this.withPepper.withPropertyValues("mcp.governance.rate-limit.enabled=false")
				.run((context) -> {
					assertThat(context).doesNotHaveBean(CallerRateLimits.class);
					assertThat(filters(context)).contains("CallerRequiredFilter", "JsonRpcRequestFilter")
						.doesNotContain("CallerRateLimitFilter");
				});
		}

	}

	@Nested
	class Packaging {

		@Test
		void everyBeanMethodBacksOffForAUserBean() {
			List<Class<?>> configurations = new ArrayList<>();
			for (Class<?> autoConfiguration : OUR_AUTO_CONFIGURATIONS) {
				configurations.add(autoConfiguration);
				Arrays.stream(autoConfiguration.getDeclaredClasses())
					.filter((nested) -> AnnotatedElementUtils.hasAnnotation(nested, Configuration.class))
					.forEach(configurations::add);
			}
			List<Method> beanMethods = configurations.stream()
				.flatMap((configuration) -> Arrays.stream(configuration.getDeclaredMethods()))
				.filter((method) -> AnnotatedElementUtils.hasAnnotation(method, Bean.class))
				.toList();

			assertThat(configurations).hasSizeGreaterThan(OUR_AUTO_CONFIGURATIONS.size());
			assertThat(beanMethods).hasSizeGreaterThan(15)
				.allSatisfy((method) -> assertThat(AnnotatedElementUtils.hasAnnotation(method, ConditionalOnMissingBean.class))
					.as("@ConditionalOnMissingBean on %s#%s", method.getDeclaringClass().getName(), method.getName())
					.isTrue());
		}

		@Test
		void autoConfigurationImportsListExactlyOurAutoConfigurations() throws IOException {
			List<String> imports = Stream
				.of(read("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").split("\n"))
				.map(String::trim)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();

			assertThat(imports).containsExactlyInAnyOrderElementsOf(
					OUR_AUTO_CONFIGURATIONS.stream().map(Class::getName).toList());
			assertThat(OUR_AUTO_CONFIGURATIONS)
				.allSatisfy((type) -> assertThat(type).hasAnnotation(AutoConfiguration.class));
		}

		@Test
		void failureAnalyzerIsRegisteredInSpringFactories() throws IOException {
			assertThat(read("META-INF/spring.factories")).contains("org.springframework.boot.diagnostics.FailureAnalyzer")
				.contains(GovernanceConfigurationFailureAnalyzer.class.getName());
		}

		@Test
		void generatedMetadataDescribesOurProperties() throws IOException {
			JsonNode metadata = new ObjectMapper().readTree(read("META-INF/spring-configuration-metadata.json"));
			List<String> names = new ArrayList<>();
			metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));

			assertThat(names).contains("mcp.governance.api-keys.pepper", "mcp.governance.api-keys.enabled",
					"mcp.governance.oauth.enabled", "mcp.governance.oauth.clock-skew", "mcp.governance.oauth.issuers",
					"mcp.governance.security.step-up", "mcp.governance.exposure",
					"mcp.governance.allowed-origins", "mcp.governance.enabled", "mcp.governance.security.chain",
					"mcp.governance.storage.migrate-schema", "mcp.governance.redaction.enabled",
					"mcp.governance.redaction.keys", "mcp.governance.redaction.detectors",
					"mcp.governance.redaction.patterns", "mcp.governance.rate-limit.default-rpm",
					"mcp.governance.rate-limit.budget", "mcp.governance.rate-limit.tools",
					"mcp.governance.rate-limit.store", "mcp.governance.rate-limit.redis.key-prefix");
			assertThat(metadata.get("properties")).allSatisfy((property) -> assertThat(property.path("description").asString())
				.as("description of %s", property.get("name").asString())
				.isNotBlank());
		}

		/** A resource of this module, not one of the same name in a dependency. */
		private static String read(String resource) throws IOException {
			URL root = GovernanceProperties.class.getProtectionDomain().getCodeSource().getLocation();
			try (InputStream in = new URL(root, resource).openStream()) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
		}

	}

	static class DomainlessTool {

		@GovernedTool(resource = "order", action = "read")
		void read() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserApiKeyStoreConfiguration {

		@Bean
		ApiKeyStore userApiKeyStore() {
			return new ApiKeyStore() {

				@Override
				public Optional<ApiKey> findByHash(String keyHash) {
					return Optional.empty();
				}

				@Override
				public List<ApiKey> findAll() {
					return List.of();
				}

				@Override
				public void save(ApiKey key) {
				}

				@Override
				public boolean revoke(String keyId, Instant at) {
					return false;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAuthenticatorConfiguration {

		@Bean
		ApiKeyAuthenticator userAuthenticator() {
			return new ApiKeyAuthenticator(new ApiKeyHasher(PEPPER), new DeclaredApiKeys(List.of()),
					new InMemoryApiKeyStore(), Duration.ofSeconds(1), 10, Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserJwtAuthenticatorConfiguration {

		@Bean
		JwtAuthenticator userJwtAuthenticator() {
			return new JwtAuthenticator(List.of(), Duration.ZERO);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClassifierConfiguration {

		@Bean
		ToolErrorClassifier userClassifier() {
			return new ToolErrorClassifier();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserGovernorConfiguration {

		@Bean
		ToolCallGovernor userGovernor(GovernedToolRegistry registry) {
			return new ToolCallGovernor(registry, new ToolErrorClassifier(), Exposure.DENY_UNGOVERNED, ToolCallLimiter.NONE, null,
					List.of(), ToolCallObserver.NONE, List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpointsConfiguration {

		@Bean
		McpEndpoints userEndpoints() {
			return new McpEndpoints(List.of("/custom"), "/custom",
					Map.of("/custom", Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetadataConfiguration {

		@Bean
		ProtectedResourceMetadata userMetadata(McpEndpoints endpoints) {
			return new ProtectedResourceMetadata(endpoints, URI.create("https://mcp.example.com/mcp"), List::of, Set::of);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEntryPointConfiguration {

		@Bean
		GovernanceAuthenticationEntryPoint userEntryPoint(ProtectedResourceMetadata metadata) {
			return new GovernanceAuthenticationEntryPoint(metadata, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserExtractorConfiguration {

		@Bean
		CallerIdentityContextExtractor userExtractor() {
			return new CallerIdentityContextExtractor();
		}

	}

}
