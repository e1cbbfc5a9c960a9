package dev.mcpgovernance;

import dev.mcpgovernance.tool.GovernedTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.mcp.annotation.McpTool;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class GovernanceConfigurationFailureAnalyzerTests {

	private final GovernanceConfigurationFailureAnalyzer analyzer = new GovernanceConfigurationFailureAnalyzer();

	private final GovernanceConfigurationException failure = new GovernanceConfigurationException(
			"Something is configured wrong.", "Configure it right.");

	@Test
	void describesTheFailureAndTheAction() {
		FailureAnalysis analysis = this.analyzer.analyze(this.failure);

		assertThat(analysis.getDescription()).isEqualTo("MCP Governance: Something is configured wrong.");
		assertThat(analysis.getAction()).isEqualTo("Configure it right.");
		assertThat(analysis.getCause()).isSameAs(this.failure);
	}

	@Test
	void findsTheFailureInsideABeanCreationException() {
		FailureAnalysis analysis = this.analyzer
			.analyze(new BeanCreationException("declaredApiKeys", "Failed to instantiate", this.failure));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Something is configured wrong.");
		assertThat(analysis.getAction()).isEqualTo("Configure it right.");
	}

	@Test
	void leavesOtherFailuresToOtherAnalyzers() {
		assertThat(this.analyzer.analyze(new BeanCreationException("other", "Failed", new IllegalStateException())))
			.isNull();
	}

	@Test
	void malformedGovernedToolScopeStopsARealStartWithAReport(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BadlyGovernedApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);

		assertThatExceptionOfType(GovernanceConfigurationException.class).isThrownBy(application::run)
			.withMessageContaining("orders:Order:read")
			.withMessageContaining("OrderTools#findOrder");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("MCP Governance: @GovernedTool on OrderTools#findOrder declares the malformed scope 'orders:Order:read'")
			.contains("Use domain:resource:action with lower-case words");
	}

	// Without a database: this start is about tool scopes, not storage.
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class)
	static class BadlyGovernedApplication {

		@Bean
		OrderTools orderTools() {
			return new OrderTools();
		}

	}

	static class OrderTools {

		@McpTool(name = "find_order", description = "Find an order")
		@GovernedTool(domain = "orders", resource = "Order", action = "read")
		public String findOrder(String orderId) {
			return orderId;
		}

	}

}
