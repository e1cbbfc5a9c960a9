package dev.mcpgovernance;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.PlaceholderResolutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class UnresolvedPlaceholderFailureAnalyzerTests {

	@Test
	void aStartWithoutThePepperVariableEndsInAReportNamingItAndWhatToDo(CapturedOutput output) {
		SpringApplication application = new SpringApplication(QuickstartApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);

		assertThatException()
			.isThrownBy(() -> application.run("--mcp.governance.api-keys.pepper=${MCP_GOVERNANCE_API_KEYS_PEPPER_UNSET_IN_TEST}"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("MCP Governance: mcp.governance.api-keys.pepper refers to ${MCP_GOVERNANCE_API_KEYS_PEPPER_UNSET_IN_TEST}, which is not set.")
			.contains("Set the environment variable MCP_GOVERNANCE_API_KEYS_PEPPER_UNSET_IN_TEST to a random secret of at least 32 characters");
	}

	@Test
	void otherGovernancePropertiesGetTheGenericAdvice() {
		FailureAnalysis analysis = analyzer(Map.of("mcp.governance.oauth.issuers[0].issuer-uri", "${ISSUER_URL}"))
			.analyze(unresolved("ISSUER_URL"));

		assertThat(analysis.getDescription())
			.isEqualTo("MCP Governance: mcp.governance.oauth.issuers[0].issuer-uri refers to ${ISSUER_URL}, which is not set.");
		assertThat(analysis.getAction()).contains("Set ISSUER_URL").contains("${ISSUER_URL:default}");
	}

	@Test
	void leavesTheApplicationsOwnPlaceholdersToOtherAnalyzers() {
		assertThat(analyzer(Map.of("app.greeting", "${GREETING}")).analyze(unresolved("GREETING"))).isNull();
	}

	private static UnresolvedPlaceholderFailureAnalyzer analyzer(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return new UnresolvedPlaceholderFailureAnalyzer(environment);
	}

	private static PlaceholderResolutionException unresolved(String placeholder) {
		StandardEnvironment empty = new StandardEnvironment();
		empty.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		empty.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		try {
			empty.resolveRequiredPlaceholders("${" + placeholder + "}");
		}
		catch (PlaceholderResolutionException ex) {
			return ex;
		}
		throw new IllegalStateException("resolved " + placeholder);
	}

	// Without a database: this start is about the pepper, not storage.
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
	static class QuickstartApplication {

	}

}
