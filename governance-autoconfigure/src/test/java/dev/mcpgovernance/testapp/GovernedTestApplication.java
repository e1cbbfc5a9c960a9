package dev.mcpgovernance.testapp;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A small governed MCP server for the integration tests: Spring AI {@code @Tool} methods (through a
 * ToolCallbackProvider) and {@code @McpTool} methods, governed and not.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ InventoryTools.class, OrderTestTools.class, CustomerTestTools.class, RateLimitedTools.class })
public class GovernedTestApplication {

	@Bean
	ToolCallbackProvider inventoryToolCallbacks(InventoryTools inventoryTools) {
		return MethodToolCallbackProvider.builder().toolObjects(inventoryTools).build();
	}

}
