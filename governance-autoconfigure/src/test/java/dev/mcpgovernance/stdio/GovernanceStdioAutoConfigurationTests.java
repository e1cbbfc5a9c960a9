package dev.mcpgovernance.stdio;

import java.util.List;
import java.util.Optional;

import dev.mcpgovernance.identity.apikey.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import dev.mcpgovernance.identity.apikey.ApiKeyHasher;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceStdioAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GovernanceIdentityAutoConfiguration.class,
				GovernanceStdioAutoConfiguration.class))
		.withPropertyValues("mcp.governance.api-keys.pepper=a-test-pepper-of-at-least-32-characters");

	@Test
	void withoutStdioThereIsNoProcessCaller() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ProcessCallerSource.class));
	}

	@Test
	void onStdioTheKeyInTheEnvironmentIsVerifiedOnEveryCall() {
		this.runner.withPropertyValues("spring.ai.mcp.server.stdio=true").run((context) -> {
			ApiKeyManager keys = context.getBean(ApiKeyManager.class);
			var created = keys.create("stdio-user", null, ScopeSet.parse(List.of("orders:*:read")), null, null);
			var source = new StdioApiKeyCallerSource(created.secret(),
					context.getBean(ApiKeyAuthenticator.class));
			assertThat(source.caller()).hasValueSatisfying((caller) -> {
				assertThat(caller.ownerId()).isEqualTo("stdio-user");
				assertThat(caller.transport()).isEqualTo(Transport.STDIO);
			});
			keys.revoke(created.key().id());
			assertThat(source.caller()).isEmpty();
		});
	}

	@Test
	void onStdioTheBeanReadsTheKeyFromTheConfiguredVariable() {
		String secret = ApiKeyGenerator.newSecret();
		String hash = new ApiKeyHasher("a-test-pepper-of-at-least-32-characters").hash(secret);
		this.runner
			.withPropertyValues("spring.ai.mcp.server.stdio=true", "mcp.governance.stdio.api-key-variable=LOCAL_KEY",
					"LOCAL_KEY=" + secret, "mcp.governance.api-keys.declared[0].id=key_local",
					"mcp.governance.api-keys.declared[0].hash=" + hash,
					"mcp.governance.api-keys.declared[0].owner-id=local-dev",
					"mcp.governance.api-keys.declared[0].scopes[0]=orders:*:read")
			.run((context) -> assertThat(context.getBean(ProcessCallerSource.class).caller())
				.hasValueSatisfying((caller) -> assertThat(caller.keyId()).isEqualTo("key_local")));
	}

	@Test
	void onStdioWithoutAKeyThereIsNoCaller() {
		this.runner.withPropertyValues("spring.ai.mcp.server.stdio=true")
			.run((context) -> assertThat(context.getBean(ProcessCallerSource.class).caller()).isEmpty());
	}

	@Test
	void onStdioWithoutAPepperThereIsNoCallerEvenWithAKey() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GovernanceIdentityAutoConfiguration.class,
					GovernanceStdioAutoConfiguration.class))
			.withPropertyValues("spring.ai.mcp.server.stdio=true", "MCP_GOVERNANCE_API_KEY=sk_" + "C".repeat(43))
			.run((context) -> assertThat(context.getBean(ProcessCallerSource.class).caller()).isEmpty());
	}

	@Test
	void aUserProcessCallerSourceReplacesOurs() {
		ProcessCallerSource own = Optional::empty;
		this.runner.withPropertyValues("spring.ai.mcp.server.stdio=true")
			.withBean(ProcessCallerSource.class, () -> own)
			.run((context) -> assertThat(context.getBean(ProcessCallerSource.class)).isSameAs(own));
	}

	@Test
	void onStdioTheConsoleStaysQuietUnlessTheApplicationSaysOtherwise() {
		MockEnvironment stdio = new MockEnvironment().withProperty("spring.ai.mcp.server.stdio", "true");
		new StdioConsoleEnvironmentPostProcessor().postProcessEnvironment(stdio, new SpringApplication());
		assertThat(stdio.getProperty("spring.main.banner-mode")).isEqualTo("off");
		assertThat(stdio.getProperty("logging.pattern.console")).isEmpty();

		MockEnvironment own = new MockEnvironment().withProperty("spring.ai.mcp.server.stdio", "true")
			.withProperty("spring.main.banner-mode", "log");
		new StdioConsoleEnvironmentPostProcessor().postProcessEnvironment(own, new SpringApplication());
		assertThat(own.getProperty("spring.main.banner-mode")).isEqualTo("log");

		MockEnvironment http = new MockEnvironment();
		new StdioConsoleEnvironmentPostProcessor().postProcessEnvironment(http, new SpringApplication());
		assertThat(http.getProperty("spring.main.banner-mode")).isNull();
	}

}
