package dev.mcpgovernance.redaction;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.ToolCallGovernor;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceRedactionAutoConfigurationTests {

	private static final String EMAIL = "someone@example.org";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(JacksonAutoConfiguration.class, GovernanceRedactionAutoConfiguration.class,
					GovernanceToolAutoConfiguration.class))
		.withPropertyValues("mcp.governance.exposure=allow-ungoverned");

	private static CallToolResult callThroughGovernor(ToolCallGovernor governor, String text) {
		CallerIdentity caller = new CallerIdentity("key_1", "alice", null, ScopeSet.parseSpaceSeparated("crm:*:*"),
				null, Transport.HTTP, null);
		CallToolResult result = governor.call(Tool.builder().name("any_tool").build(), Map.of(), caller,
				() -> CallToolResult.builder().addTextContent(text).build());
		return result;
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	@Test
	void defaultsRedactKeysAndEveryDetectorInGovernedResults() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(Redactor.class);
			Redactor redactor = context.getBean(Redactor.class);
			assertThat(redactor.keys().globs()).containsAll(SensitiveKeys.DEFAULTS);
			assertThat(redactor.patterns()).extracting(ValuePattern::name)
				.containsExactly("email", "card", "ssn", "phone");
			assertThat(text(callThroughGovernor(context.getBean(ToolCallGovernor.class),
					"{\"password\":\"x1\",\"note\":\"" + EMAIL + "\"}")))
				.isEqualTo("{\"password\":\"[REDACTED]\",\"note\":\"[REDACTED:email]\"}");
		});
	}

	@Test
	void propertiesChooseKeysDetectorsAndPatterns() {
		this.runner
			.withPropertyValues("mcp.governance.redaction.default-keys=false", "mcp.governance.redaction.keys[0]=*_ref",
					"mcp.governance.redaction.detectors=card", "mcp.governance.redaction.patterns[0].name=employee-id",
					"mcp.governance.redaction.patterns[0].regex=EMP-\\d{6}")
			.run((context) -> {
				Redactor redactor = context.getBean(Redactor.class);
				assertThat(redactor.keys().globs()).containsExactly("*_ref");
				assertThat(redactor.patterns()).extracting(ValuePattern::name).containsExactly("card", "employee-id");
				assertThat(redactor.redactText("{\"Order_REF\":\"r1\",\"password\":\"p\",\"who\":\"EMP-000123 " + EMAIL + "\"}"))
					.isEqualTo("{\"Order_REF\":\"[REDACTED]\",\"password\":\"p\",\"who\":\"[REDACTED:employee-id] " + EMAIL + "\"}");
			});
	}

	@Test
	void userRedactorReplacesOursAndIsUsedByTheGovernor() {
		this.runner.withUserConfiguration(UserRedactorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(Redactor.class);
			assertThat(context.getBean(Redactor.class)).isSameAs(context.getBean("userRedactor"));
			assertThat(text(callThroughGovernor(context.getBean(ToolCallGovernor.class), "{\"pin\":\"1234\",\"password\":\"p\"}")))
				.isEqualTo("{\"pin\":\"[REDACTED]\",\"password\":\"p\"}");
		});
	}

	@Test
	void disabledLeavesResultsUntouched() {
		String sensitive = "{\"password\":\"x1\",\"note\":\"" + EMAIL + "\"}";
		this.runner.withPropertyValues("mcp.governance.redaction.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(Redactor.class);
			assertThat(text(callThroughGovernor(context.getBean(ToolCallGovernor.class), sensitive))).isEqualTo(sensitive);
		});
	}

	@Test
	void malformedPatternStopsStartUpNamingIt() {
		this.runner
			.withPropertyValues("mcp.governance.redaction.patterns[0].name=ok", "mcp.governance.redaction.patterns[0].regex=a+",
					"mcp.governance.redaction.patterns[1].name=broken-one",
					"mcp.governance.redaction.patterns[1].regex=([a-z]+")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("broken-one")
				.hasMessageContaining("mcp.governance.redaction.patterns[1].regex"));
	}

	@Test
	void patternWithoutANameOrABlankKeyFailsValidation() {
		this.runner.withPropertyValues("mcp.governance.redaction.patterns[0].regex=a+")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("patterns[0].name"));
		this.runner.withPropertyValues("mcp.governance.redaction.keys[0]= ")
			.run((context) -> assertThat(context).getFailure().rootCause().isInstanceOf(BindValidationException.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserRedactorConfiguration {

		@Bean
		Redactor userRedactor() {
			return new Redactor(SensitiveKeys.of(List.of("pin")), List.of(), new tools.jackson.databind.ObjectMapper());
		}

	}

}
