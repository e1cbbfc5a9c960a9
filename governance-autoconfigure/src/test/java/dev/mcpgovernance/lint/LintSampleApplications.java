package dev.mcpgovernance.lint;

import dev.mcpgovernance.tool.GovernedTool;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpTool.McpAnnotations;
import org.springframework.ai.mcp.annotation.McpToolParam;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** Two small MCP servers for the lint: one governed badly, one well. Runnable as main classes. */
final class LintSampleApplications {

	private LintSampleApplications() {
	}

	/** Every mistake the lint knows, and no authentication while listening everywhere. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BadTools.class)
	static class Bad {

		public static void main(String[] args) {
			SpringApplication.run(Bad.class, args);
		}

	}

	/** Read tools marked read-only, a write tool with a write action, API keys configured. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(GoodTools.class)
	static class Good {

		public static void main(String[] args) {
			SpringApplication.run(Good.class, args);
		}

	}

	static class BadTools {

		/** Read scope, but @McpTool's default hints say destructive. */
		@McpTool(name = "lookup_order", description = "Look an order up")
		@GovernedTool(domain = "orders", resource = "order", action = "read")
		public String lookup(@McpToolParam(description = "id") String id) {
			return id;
		}

		/** An action that is neither read nor write. */
		@McpTool(name = "reprocess_order", description = "Run an order through processing again")
		@GovernedTool(domain = "orders", resource = "order", action = "process")
		public String reprocess(@McpToolParam(description = "id") String id) {
			return id;
		}

		@McpTool(name = "echo", description = "No scope at all", annotations = @McpAnnotations(readOnlyHint = true))
		public String echo(@McpToolParam(description = "text") String text) {
			return text;
		}

	}

	static class GoodTools {

		@McpTool(name = "lookup_order", description = "Look an order up",
				annotations = @McpAnnotations(readOnlyHint = true))
		@GovernedTool(domain = "orders", resource = "order", action = "read", rateLimit = "10/min")
		public String lookup(@McpToolParam(description = "id") String id) {
			return id;
		}

		@McpTool(name = "cancel_order", description = "Cancel an order")
		@GovernedTool(domain = "orders", resource = "order", action = "cancel", redact = "customer_note")
		public String cancel(@McpToolParam(description = "id") String id) {
			return id;
		}

	}

}
