package dev.mcpgovernance.gateway;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GovernanceGatewayAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(GovernanceToolAutoConfiguration.class, GovernanceGatewayAutoConfiguration.class));

	@Test
	void byDefaultTheGatewayAndItsHealthIndicatorAreThere() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(McpGateway.class)
				.hasBean("mcpGovernanceUpstreamsHealthIndicator");
			assertThat(context.getBean(McpGateway.class).statuses()).isEmpty();
		});
	}

	@Test
	void anUpstreamThatIsDownDoesNotStopStartUp() {
		this.runner.withPropertyValues("mcp.governance.upstreams.crm.url=http://127.0.0.1:1/mcp").run((context) -> {
			assertThat(context).hasNotFailed();
			List<UpstreamStatus> statuses = context.getBean(McpGateway.class).statuses();
			assertThat(statuses).singleElement().satisfies((status) -> {
				assertThat(status.domain()).isEqualTo("crm");
				assertThat(status.up()).isFalse();
				assertThat(status.lastError()).isEqualTo("unreachable");
			});
		});
	}

	@Test
	void aMalformedScopeOverrideStopsStartUpNamingIt() {
		this.runner
			.withPropertyValues("mcp.governance.upstreams.crm.url=http://127.0.0.1:1/mcp",
					"mcp.governance.upstreams.crm.scopes.[find_*]=Customer:*")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("Customer:*"));
	}

	@Test
	void aMissingServiceCredentialStopsStartUpNamingTheVariable() {
		this.runner
			.withPropertyValues("mcp.governance.upstreams.crm.url=http://127.0.0.1:1/mcp",
					"mcp.governance.upstreams.crm.credential.bearer-env=CRM_TOKEN_THAT_IS_NOT_SET")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("CRM_TOKEN_THAT_IS_NOT_SET"));
	}

	@Test
	void withoutADataSourceAddedUpstreamsAreKeptInMemory() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(InMemoryRuntimeUpstreamStore.class)
			.hasSingleBean(RuntimeUpstreams.class));
	}

	@Test
	void withADataSourceAddedUpstreamsAreKeptInItsTable() {
		this.runner
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					GovernanceStorageAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:gateway-store-" + UUID.randomUUID())
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcRuntimeUpstreamStore.class)
					.doesNotHaveBean(InMemoryRuntimeUpstreamStore.class);
				// The migration ran before the first read.
				assertThat(context.getBean(RuntimeUpstreamStore.class).findAll()).isEmpty();
			});
	}

	@Test
	void theUsersUpstreamStoreReplacesOurs() {
		this.runner.withBean("ownStore", RuntimeUpstreamStore.class, InMemoryRuntimeUpstreamStore::new)
			.run((context) -> assertThat(context).hasSingleBean(RuntimeUpstreamStore.class).hasBean("ownStore"));
	}

	@Test
	void aNamedCredentialWhoseVariableIsMissingStopsStartUpNamingTheVariable() {
		this.runner
			.withPropertyValues("mcp.governance.gateway.credentials.desk.bearer-env=DESK_TOKEN_THAT_IS_NOT_SET")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("DESK_TOKEN_THAT_IS_NOT_SET"));
	}

	@Test
	void theUsersGatewayReplacesOurs() {
		this.runner.withUserConfiguration(OwnGateway.class).run((context) -> {
			assertThat(context).hasSingleBean(McpGateway.class);
			assertThat(context.getBean(McpGateway.class)).isSameAs(context.getBean("ownGateway"));
		});
	}

	@Test
	void offWhenGatewayModeOrGovernanceIsDisabled() {
		this.runner.withPropertyValues("mcp.governance.gateway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpGateway.class));
		this.runner.withPropertyValues("mcp.governance.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpGateway.class));
	}

	@Test
	void offWithoutTheMcpClient() {
		this.runner.withClassLoader(new FilteredClassLoader(McpSyncClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(McpGateway.class));
	}

	@Test
	void noHealthIndicatorWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(McpGateway.class);
			assertThat(context).doesNotHaveBean("mcpGovernanceUpstreamsHealthIndicator");
		});
	}

	@Test
	void aMalformedResourceOrPromptScopeOverrideStopsStartUpNamingIt() {
		this.runner
			.withPropertyValues("mcp.governance.gateway.upstreams.crm.url=http://127.0.0.1:1/mcp",
					"mcp.governance.gateway.upstreams.crm.prompt-scopes.[summarize_*]=Customer:*")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("Customer:*")
				.hasMessageContaining("prompts 'summarize_*'"));
	}

	@Test
	void resourcesAreMatchedByUriAndNameAndReadUnderTheirNameUnlessOverridden() {
		UpstreamDefinition upstream = UpstreamDefinition.of("crm", URI.create("http://crm/mcp"), null, null, List.of(),
				List.of(), Map.of(), DownstreamAuth.none(), DownstreamAuth.none())
			.withFeatures(List.of("crm://*"), List.of("*secret*"), Map.of("crm://customers/*", "customer:read"),
					List.of(), List.of("debug_*"), Map.of("summarize_*", "reports:summary:read"));
		assertThat(upstream.resources().exposes("crm://customers/{id}", "customer")).isTrue();
		// Deny matches the name too, ignoring case; allow needs the URI or the name to match.
		assertThat(upstream.resources().exposes("crm://notes", "Top_Secret_Notes")).isFalse();
		assertThat(upstream.resources().exposes("files://a", "file")).isFalse();
		assertThat(upstream.prompts().exposes("Debug_dump")).isFalse();
		assertThat(upstream.prompts().exposes("summarize_customer")).isTrue();
		assertThat(upstream.resourceScope("crm://customers/{id}", "customer")).isEqualTo(Scope.parse("crm:customer:read"));
		assertThat(upstream.resourceScope("crm://Order Book", "Order Book")).isEqualTo(Scope.parse("crm:order_book:read"));
		assertThat(upstream.promptScope("summarize_customer")).isEqualTo(Scope.parse("reports:summary:read"));
		assertThat(upstream.promptScope("greet")).isEqualTo(Scope.parse("crm:greet:read"));
	}

	@Test
	void denyWinsAndIsMatchedAgainstBothNames() {
		UpstreamDefinition upstream = UpstreamDefinition.of("crm", URI.create("http://crm/mcp"), null, null,
				List.of("find_*", "crm_delete_*"), List.of("crm_delete_*", "*_secret"), Map.of(), DownstreamAuth.none(),
				DownstreamAuth.none());
		assertThat(upstream.exposes("find_customer", "crm_find_customer")).isTrue();
		assertThat(upstream.exposes("delete_customer", "crm_delete_customer")).isFalse();
		assertThat(upstream.exposes("find_secret", "crm_find_secret")).isFalse();
		assertThat(upstream.exposes("list_customers", "crm_list_customers")).isFalse();
	}

	@Test
	void anUpstreamCannotSlipPastADenyByCapitalizingButCannotWidenAnAllowEither() {
		UpstreamDefinition upstream = UpstreamDefinition.of("crm", URI.create("http://crm/mcp"), null, null,
				List.of("find_*"), List.of("find_secret*"), Map.of(), DownstreamAuth.none(), DownstreamAuth.none());
		assertThat(upstream.exposes("Find_Secret_Notes", "crm_Find_Secret_Notes")).isFalse();
		assertThat(upstream.exposes("FIND_SECRET", "crm_FIND_SECRET")).isFalse();
		assertThat(upstream.exposes("find_customer", "crm_find_customer")).isTrue();
		assertThat(upstream.exposes("Find_customer", "crm_Find_customer")).isFalse();
	}

	@Test
	void theDefaultScopeIsTheToolNameInTheScopeGrammar() {
		UpstreamDefinition upstream = UpstreamDefinition.of("crm", URI.create("http://crm/mcp"), null, null, List.of(),
				List.of(), Map.of("delete_*", "customer:delete", "audit_*", "compliance:log:read"), DownstreamAuth.none(),
				DownstreamAuth.none());
		assertThat(upstream.requiredScope("Find-Customer", "Find-Customer")).isEqualTo(Scope.parse("crm:find-customer:call"));
		assertThat(upstream.requiredScope("42 things!", "42 things!")).isEqualTo(Scope.parse("crm:t42_things_:call"));
		assertThat(upstream.requiredScope("delete_customer", "crm_delete_customer"))
			.isEqualTo(Scope.parse("crm:customer:delete"));
		assertThat(upstream.requiredScope("audit_log", "audit_log")).isEqualTo(Scope.parse("compliance:log:read"));
	}

	@Test
	void anUpstreamNeedsAnAbsoluteHttpUrlAndADomainInTheScopeGrammar() {
		assertThatThrownBy(() -> UpstreamDefinition.of("crm", URI.create("/mcp"), null, null, List.of(), List.of(),
				Map.of(), DownstreamAuth.none(), DownstreamAuth.none()))
			.isInstanceOf(GovernanceConfigurationException.class)
			.hasMessageContaining("crm");
		assertThatThrownBy(() -> UpstreamDefinition.of("CRM!", URI.create("http://crm/mcp"), null, null, List.of(),
				List.of(), Map.of(), DownstreamAuth.none(), DownstreamAuth.none()))
			.isInstanceOf(GovernanceConfigurationException.class)
			.hasMessageContaining("CRM!");
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnGateway {

		@Bean
		McpGateway ownGateway(dev.mcpgovernance.tool.GovernedToolRegistry registry,
				dev.mcpgovernance.tool.GovernedToolSpecifications specifications,
				ObjectProvider<io.modelcontextprotocol.server.McpSyncServer> server,
				ObjectProvider<io.modelcontextprotocol.server.McpStatelessSyncServer> stateless,
				org.springframework.core.env.Environment environment) {
			return new McpGateway(List.of(), UpstreamSource.NONE, registry, specifications,
					dev.mcpgovernance.adapter.AdapterResilience.NONE,
					new dev.mcpgovernance.outbound.DownstreamAuthorizers(environment, null), server, stateless,
					new McpGateway.Settings(java.time.Duration.ofMinutes(5), java.time.Duration.ofSeconds(1),
							java.time.Duration.ofSeconds(1), 100, java.time.Duration.ofMinutes(5)),
					null, null, null);
		}

	}

}
