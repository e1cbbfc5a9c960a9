package dev.mcpgovernance.connector.openapi;

import dev.mcpgovernance.GovernanceConfigurationException;
import java.util.List;
import java.util.Optional;

import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.adapter.GovernanceAdapterAutoConfiguration;
import dev.mcpgovernance.adapter.Resilience4jAdapterResilience;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.outbound.GovernanceOutboundAutoConfiguration;
import dev.mcpgovernance.outbound.ExchangedToken;
import dev.mcpgovernance.outbound.ExchangedTokenCache;
import dev.mcpgovernance.outbound.InMemoryExchangedTokenCache;
import dev.mcpgovernance.outbound.TokenExchanger;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.swagger.v3.parser.OpenAPIV3Parser;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceConnectorAutoConfigurationTests {

	private static final String PETSTORE = "mcp.governance.connectors.petstore.";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(GovernanceToolAutoConfiguration.class, GovernanceOutboundAutoConfiguration.class,
						GovernanceConnectorAutoConfiguration.class))
		.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE");

	private final ApplicationContextRunner petstore = this.runner.withPropertyValues(
			PETSTORE + "spec=classpath:openapi/petstore3.json", PETSTORE + "domain=petstore",
			PETSTORE + "base-url=http://127.0.0.1:9/api/v3");

	@Test
	void defaultsWithoutConnectors() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(OpenApiConnectors.class).tools()).isEmpty();
			assertThat(context).hasSingleBean(InMemoryExchangedTokenCache.class).doesNotHaveBean(TokenExchanger.class);
		});
	}

	@Test
	void includedOperationsBecomeGovernedToolsWithDerivedScopes() {
		this.petstore
			.withPropertyValues(PETSTORE + "include=getPetById,getInventory,getUserByName",
					PETSTORE + "names.getPetById=get_pet", PETSTORE + "scopes.getUserByName=people:lookup")
			.run((context) -> {
				assertThat(context.getBean(OpenApiConnectors.class).tools()).extracting(OperationTool::toolName)
					.containsExactly("get_pet", "getInventory", "getUserByName");
				GovernedToolRegistry registry = context.getBean(GovernedToolRegistry.class);
				assertThat(registry.find("get_pet").map(ToolPolicy::requiredScope).map(Object::toString))
					.contains("petstore:pet:read");
				assertThat(registry.find("getInventory").map(ToolPolicy::requiredScope).map(Object::toString))
					.contains("petstore:store:read");
				assertThat(registry.find("getUserByName").map(ToolPolicy::requiredScope).map(Object::toString))
					.contains("petstore:people:lookup");
				assertThat(registry.find("getPetById")).isEmpty();
				assertThat(context.getBean("openApiConnectorSyncTools", List.class)).hasSize(3)
					.allSatisfy((spec) -> assertThat(spec).isInstanceOf(McpServerFeatures.SyncToolSpecification.class));
				assertThat(context).doesNotHaveBean("openApiConnectorStatelessTools");
			});
	}

	@Test
	void statelessServerGetsStatelessSpecifications() {
		this.petstore.withPropertyValues("spring.ai.mcp.server.protocol=STATELESS", PETSTORE + "include=getPetById")
			.run((context) -> {
				assertThat(context).doesNotHaveBean("openApiConnectorSyncTools");
				assertThat(context.getBean("openApiConnectorStatelessTools", List.class)).singleElement()
					.isInstanceOf(McpStatelessServerFeatures.SyncToolSpecification.class);
			});
	}

	@Test
	void mutationIsRefusedAtStartUpUnlessAllowed() {
		this.petstore.withPropertyValues(PETSTORE + "include=getPetById,addPet").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("operation 'addPet' (POST /pet)")
				.hasMessageContaining("changes data");
		});
		this.petstore.withPropertyValues(PETSTORE + "include=addPet", PETSTORE + "allow-mutations=true")
			.run((context) -> assertThat(context.getBean(OpenApiConnectors.class).tools()).singleElement()
				.satisfies((tool) -> assertThat(tool.scope().toString()).isEqualTo("petstore:pet:write")));
	}

	@Test
	void unknownOperationIdStopsStartUpNamingIt() {
		this.petstore.withPropertyValues(PETSTORE + "include=getPetById,getPetByName").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("includes operation 'getPetByName', which its spec does not have");
		});
	}

	@Test
	void missingServiceCredentialStopsStartUpNamingTheVariableOnly() {
		this.petstore
			.withPropertyValues(PETSTORE + "include=getPetById", PETSTORE + "auth.type=bearer-from-env",
					PETSTORE + "auth.env=PETSTORE_TOKEN_THAT_IS_NOT_SET")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("needs the environment variable PETSTORE_TOKEN_THAT_IS_NOT_SET");
			});
		this.petstore
			.withPropertyValues(PETSTORE + "include=getPetById", PETSTORE + "auth.type=header-from-env",
					PETSTORE + "auth.header=X-Api-Key", PETSTORE + "auth.env=PETSTORE_KEY", "PETSTORE_KEY=s3cret-value")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void tokenExchangeWithoutATokenEndpointStopsStartUp() {
		this.petstore
			.withPropertyValues(PETSTORE + "include=getPetById", PETSTORE + "auth.type=token-exchange",
					PETSTORE + "auth.audience=https://petstore.example")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("no token endpoint is configured");
			});
	}

	@Test
	void redisCacheRefusesABadEncryptionKey() {
		this.runner.withPropertyValues("mcp.governance.token-cache.store=redis",
				"mcp.governance.token-cache.encryption-key=dG9vLXNob3J0")
			.withConfiguration(AutoConfigurations
				.of(org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("encryption-key must be the base64 of 32 random bytes");
			});
	}

	@Test
	void headerParameterThatTheTransportOwnsIsRefused() {
		this.runner
			.withPropertyValues("mcp.governance.connectors.reports.spec=classpath:openapi/reserved-header.yaml",
					"mcp.governance.connectors.reports.domain=reports",
					"mcp.governance.connectors.reports.include=getReport")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("takes header 'Authorization' as a parameter");
			});
		this.runner
			.withPropertyValues("mcp.governance.connectors.reports.spec=classpath:openapi/reserved-header.yaml",
					"mcp.governance.connectors.reports.domain=reports",
					"mcp.governance.connectors.reports.include=listReports")
			.run((context) -> assertThat(context.getBean(OpenApiConnectors.class).tools()).singleElement()
				.satisfies((tool) -> assertThat(tool.scope().toString()).isEqualTo("reports:reports:read")));
	}

	@Test
	void connectorBeansAndUserCacheAreUsed() {
		this.runner.withUserConfiguration(UserConfiguration.class).run((context) -> {
			assertThat(context.getBean(OpenApiConnectors.class).tools()).extracting(OperationTool::toolName)
				.containsExactly("pets_by_status");
			assertThat(context.getBean(ExchangedTokenCache.class)).isSameAs(UserConfiguration.CACHE);
			assertThat(context.getBean(OpenApiConnectors.class).tools().get(0).scope().toString())
				.isEqualTo("zoo:pet:read");
		});
	}

	@Test
	void connectorApiIsCalledThroughTheAdaptersResilienceWhenThereIsOne() {
		this.petstore.withPropertyValues(PETSTORE + "include=getPetById")
			.withConfiguration(AutoConfigurations.of(GovernanceAdapterAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(Resilience4jAdapterResilience.class);
				assertThat(context.getBean(OpenApiConnectors.class).breakerState("petstore")).isEqualTo("closed");
				assertThat(context.getBean(OpenApiConnectors.class).statuses().get("petstore").adapter().name())
					.isEqualTo("openapi-petstore");
			});
	}

	@Test
	void connectorApiIsCalledDirectlyWithoutAdapters() {
		this.petstore.withPropertyValues(PETSTORE + "include=getPetById")
			.withConfiguration(AutoConfigurations.of(GovernanceAdapterAutoConfiguration.class))
			.withPropertyValues("mcp.governance.adapters.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(AdapterResilience.class);
				assertThat(context.getBean(OpenApiConnectors.class).breakerState("petstore")).isEqualTo("none");
			});
	}

	@Test
	void connectorApiIsCalledDirectlyWithoutResilience4j() {
		this.petstore.withPropertyValues(PETSTORE + "include=getPetById")
			.withConfiguration(AutoConfigurations.of(GovernanceAdapterAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(CircuitBreakerRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(OpenApiConnectors.class).breakerState("petstore")).isEqualTo("none");
			});
	}

	@Test
	void offWhenGovernanceIsDisabled() {
		this.petstore.withPropertyValues("mcp.governance.enabled=false", PETSTORE + "include=getPetById")
			.run((context) -> assertThat(context).doesNotHaveBean(OpenApiConnectors.class));
	}

	@Test
	void offWithoutSwaggerParserWhenNoConnectorIsConfigured() {
		this.runner.withConfiguration(AutoConfigurations.of(SwaggerParserMissingAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(OpenAPIV3Parser.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(OpenApiConnectors.class);
			});
	}

	@Test
	void connectorsConfiguredWithoutSwaggerParserStopStartUpSayingWhatToAdd() {
		this.petstore.withPropertyValues(PETSTORE + "include=getPetById")
			.withConfiguration(AutoConfigurations.of(SwaggerParserMissingAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(OpenAPIV3Parser.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("swagger-parser is not on the class path");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConfiguration {

		static final ExchangedTokenCache CACHE = new ExchangedTokenCache() {

			@Override
			public Optional<ExchangedToken> get(String key) {
				return Optional.empty();
			}

			@Override
			public void put(String key, ExchangedToken token) {
			}

		};

		@Bean
		ExchangedTokenCache userTokenCache() {
			return CACHE;
		}

		@Bean
		OpenApiConnector zoo() {
			return OpenApiConnector.builder("zoo")
				.spec("classpath:openapi/petstore3.json")
				.domain("zoo")
				.baseUrl("http://127.0.0.1:9/api/v3")
				.include("findPetsByStatus")
				.name("findPetsByStatus", "pets_by_status")
				.auth(DownstreamAuth.none())
				.build();
		}

	}

}
