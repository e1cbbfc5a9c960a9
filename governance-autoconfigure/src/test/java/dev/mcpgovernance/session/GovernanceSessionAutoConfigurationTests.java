package dev.mcpgovernance.session;

import java.time.Duration;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.discovery.CallerScopedTransportProvider;
import dev.mcpgovernance.discovery.GovernanceDiscoveryAutoConfiguration;
import dev.mcpgovernance.identity.apikey.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.security.GovernanceSecurityAutoConfiguration;
import dev.mcpgovernance.security.GovernanceTransportAutoConfiguration;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.McpServerJsonMapperAutoConfiguration;
import org.springframework.ai.mcp.server.common.autoconfigure.ToolCallbackConverterAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceSessionAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GovernanceSessionAutoConfiguration.class));

	/** A whole governed streamable server, to see the registry wired into the chain, the transport and revocations. */
	private final WebApplicationContextRunner server = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, AopAutoConfiguration.class,
				McpServerJsonMapperAutoConfiguration.class, ToolCallbackConverterAutoConfiguration.class,
				McpServerStreamableHttpWebMvcAutoConfiguration.class, McpServerAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(GovernanceIdentityAutoConfiguration.class,
				GovernanceToolAutoConfiguration.class, GovernanceTransportAutoConfiguration.class,
				GovernanceSecurityAutoConfiguration.class, GovernanceDiscoveryAutoConfiguration.class,
				GovernanceSessionAutoConfiguration.class))
		.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE",
				"mcp.governance.api-keys.pepper=a-test-pepper-of-at-least-32-characters");

	@Test
	void defaultsBindSessionsWithTheDocumentedLimits() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SessionRegistry.class)
				.hasSingleBean(SessionAuditTrail.class)
				.hasSingleBean(SessionMetrics.class);
			SessionRegistry sessions = context.getBean(SessionRegistry.class);
			assertThat(sessions.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
			assertThat(ReflectionTestUtils.getField(sessions, "maxPerCaller")).isEqualTo(32);
			assertThat(ReflectionTestUtils.getField(sessions, "maxTotal")).isEqualTo(10_000);
		});
	}

	@Test
	void propertiesChangeTheLimits() {
		this.runner
			.withPropertyValues("mcp.governance.sessions.idle-timeout=5m", "mcp.governance.sessions.max-per-caller=4",
					"mcp.governance.sessions.max-total=100")
			.run((context) -> {
				SessionRegistry sessions = context.getBean(SessionRegistry.class);
				assertThat(sessions.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
				assertThat(ReflectionTestUtils.getField(sessions, "maxPerCaller")).isEqualTo(4);
				assertThat(ReflectionTestUtils.getField(sessions, "maxTotal")).isEqualTo(100);
			});
	}

	@Test
	void aUserRegistryReplacesOurs() {
		this.runner.withUserConfiguration(UserRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionRegistry.class);
			assertThat(context.getBean(SessionRegistry.class)).isSameAs(context.getBean("userSessions"));
		});
	}

	@Test
	void switchedOffThereIsNoRegistry() {
		this.runner.withPropertyValues("mcp.governance.sessions.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionRegistry.class));
		this.runner.withPropertyValues("mcp.governance.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionRegistry.class));
	}

	@Test
	void outsideAServletApplicationThereIsNoRegistry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GovernanceSessionAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionRegistry.class));
	}

	@Test
	void withoutMicrometerThereAreNoMetrics() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SessionRegistry.class)
				.doesNotHaveBean(SessionMetrics.class));
	}

	@Test
	void invalidLimitsStopStartUpNamingTheProperty() {
		for (String invalid : new String[] { "idle-timeout=0s", "max-per-caller=0", "max-total=-1" }) {
			this.runner.withPropertyValues("mcp.governance.sessions." + invalid)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("mcp.governance.sessions." + invalid.substring(0, invalid.indexOf('='))));
		}
	}

	@Test
	void theChainTheTransportAndRevocationsUseTheRegistry() {
		this.server.withPropertyValues("mcp.governance.sessions.idle-timeout=7m", "mcp.governance.sessions.max-total=123")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SessionRegistry sessions = context.getBean(SessionRegistry.class);
				WebMvcStreamableServerTransportProvider transport = context
					.getBean(WebMvcStreamableServerTransportProvider.class);
				// A second longer than the sessions' own: a session whose requests the starter answers on their own
				// thread reaches the transport's handler once a second (StreamableSessions), so that it is never evicted in use.
				assertThat(ReflectionTestUtils.getField(transport, "sessionIdleTimeout"))
					.isEqualTo(Duration.ofMinutes(7).plusSeconds(1));
				// The registry answers at max-total; the transport only guards beyond it, ended sessions awaiting eviction included.
				assertThat(ReflectionTestUtils.getField(transport, "maxSessions")).isEqualTo(4 * 123L);
				assertThat(((CallerScopedTransportProvider.Streamable) context.getBean(CallerScopedTransportProvider.class))
					.sessions()).isSameAs(sessions);
				SecurityFilterChain chain = context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class);
				assertThat(chain.getFilters()).anySatisfy((filter) -> assertThat(filter).isInstanceOf(SessionBindingFilter.class));
				assertThat(ReflectionTestUtils.getField(context.getBean(ApiKeyAuthenticator.class), "revocations"))
					.isNotNull();
			});
	}

	@Test
	void switchedOffTheChainHasNoSessionFilterAndTheTransportKeepsItsBounds() {
		this.server.withPropertyValues("mcp.governance.sessions.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(SessionRegistry.class);
			SecurityFilterChain chain = context.getBean("mcpGovernanceSecurityFilterChain", SecurityFilterChain.class);
			assertThat(chain.getFilters()).noneSatisfy((filter) -> assertThat(filter).isInstanceOf(SessionBindingFilter.class));
			assertThat(ReflectionTestUtils.getField(context.getBean(WebMvcStreamableServerTransportProvider.class),
					"sessionIdleTimeout")).isEqualTo(Duration.ofMinutes(30).plusSeconds(1));
		});
	}

	@Test
	void anIdleTimeoutNotLongerThanTheKeepAliveStopsStartUp() {
		this.server
			.withPropertyValues("mcp.governance.sessions.idle-timeout=30s",
					"spring.ai.mcp.server.streamable-http.keep-alive-interval=30s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("mcp.governance.sessions.idle-timeout"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistry {

		@Bean
		SessionRegistry userSessions() {
			return new SessionRegistry(Duration.ofMinutes(1), 1, 1, java.time.Clock.systemUTC());
		}

	}

}
