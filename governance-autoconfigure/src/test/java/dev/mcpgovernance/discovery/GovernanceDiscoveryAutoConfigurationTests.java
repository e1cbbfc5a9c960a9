package dev.mcpgovernance.discovery;

import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.security.GovernanceSecurityAutoConfiguration;
import dev.mcpgovernance.security.GovernanceTransportAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStatelessServerTransport;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStatelessWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerJsonMapperAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerStatelessAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.StatelessToolCallbackConverterAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.ToolCallbackConverterAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery auto-configuration: defaults, progressive mode, overrides, off switches. */
class GovernanceDiscoveryAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				AopAutoConfiguration.class, McpServerJsonMapperAutoConfiguration.class,
				ToolCallbackConverterAutoConfiguration.class, StatelessToolCallbackConverterAutoConfiguration.class,
				McpServerStreamableHttpWebMvcAutoConfiguration.class, McpServerStatelessWebMvcAutoConfiguration.class,
				McpServerAutoConfiguration.class, McpServerStatelessAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(GovernanceIdentityAutoConfiguration.class,
				GovernanceToolAutoConfiguration.class, GovernanceTransportAutoConfiguration.class,
				GovernanceSecurityAutoConfiguration.class, GovernanceDiscoveryAutoConfiguration.class))
		.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE",
				"mcp.governance.api-keys.pepper=a-test-pepper-of-at-least-32-characters");

	@Test
	void byDefaultTheServerTalksThroughTheCallerScopedTransportAndListsNoMetaTools() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(CallerToolView.class)
				.hasSingleBean(ToolCatalog.class)
				.hasSingleBean(ToolDiscovery.class)
				.hasSingleBean(CallerScopedTransportProvider.class)
				.doesNotHaveBean(MetaTools.class);
			// Spring AI's server receives the decorator; the transport itself stays a bean with its routes.
			assertThat(context.getBean(McpServerTransportProviderBase.class))
				.isInstanceOf(CallerScopedTransportProvider.Streamable.class);
			assertThat(context.getBean(CallerScopedTransportProvider.class).delegate())
				.isSameAs(context.getBean(WebMvcStreamableServerTransportProvider.class));
			assertThat(context.getBean(McpSyncServer.class).listTools()).isEmpty();
		});
	}

	@Test
	void progressiveModeAddsTheMetaToolsToTheServer() {
		this.runner.withPropertyValues("mcp.governance.discovery.mode=progressive").run((context) -> {
			assertThat(context).hasSingleBean(MetaTools.class);
			assertThat(context.getBean(McpSyncServer.class).listTools()).extracting(Tool::name)
				.containsExactlyInAnyOrderElementsOf(MetaTools.NAMES);
		});
	}

	@Test
	void statelessServersGetTheStatelessDecoratorAndTheMetaTools() {
		this.runner.withPropertyValues("spring.ai.mcp.server.protocol=STATELESS", "mcp.governance.discovery.mode=progressive")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(CallerScopedTransportProvider.class);
				assertThat(context.getBean(McpStatelessServerTransport.class))
					.isInstanceOf(CallerScopedStatelessTransport.class);
				assertThat(context).hasSingleBean(WebMvcStatelessServerTransport.class);
				assertThat(context.getBean(McpStatelessSyncServer.class).listTools()).extracting(Tool::name)
					.containsExactlyInAnyOrderElementsOf(MetaTools.NAMES);
			});
	}

	@Test
	void aUserViewReplacesOurs() {
		this.runner.withBean("ownView", CallerToolView.class,
				() -> new CallerToolView(null, DiscoveryMode.DIRECT, () -> "", () -> null, null, null))
			.run((context) -> assertThat(context).getBean(CallerToolView.class).isSameAs(context.getBean("ownView")));
	}

	@Test
	void governanceOffMeansNoDiscovery() {
		this.runner.withPropertyValues("mcp.governance.enabled=false", "mcp.governance.discovery.mode=progressive")
			.run((context) -> assertThat(context).doesNotHaveBean(CallerToolView.class)
				.doesNotHaveBean(CallerScopedTransportProvider.class)
				.doesNotHaveBean(MetaTools.class));
	}

	@Test
	void withoutTheMcpServerLibraryNothingIsConfigured() {
		new WebApplicationContextRunner().withClassLoader(new FilteredClassLoader(McpServerFeatures.class))
			.withConfiguration(AutoConfigurations.of(GovernanceDiscoveryAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CallerToolView.class));
	}

	@Test
	void aBadSearchLimitStopsStartUp() {
		this.runner.withPropertyValues("mcp.governance.discovery.max-results=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("mcp.governance.discovery.maxResults"));
	}

}
