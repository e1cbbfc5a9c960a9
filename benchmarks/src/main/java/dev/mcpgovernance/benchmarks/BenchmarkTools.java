package dev.mcpgovernance.benchmarks;

import java.util.Map;

import dev.mcpgovernance.tool.GovernedTool;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpTool.McpAnnotations;
import org.springframework.ai.mcp.annotation.McpToolParam;

/**
 * The tool both servers expose. Its handler does almost nothing, so the numbers show what the MCP
 * stack and governance cost rather than what a database costs.
 */
public class BenchmarkTools {

	@McpTool(name = "get_order", description = "Get an order",
			annotations = @McpAnnotations(readOnlyHint = true, destructiveHint = false))
	@GovernedTool(domain = "orders", resource = "order", action = "read")
	public Map<String, Object> getOrder(@McpToolParam(description = "id") String orderId) {
		return Map.of("id", orderId, "status", "open", "total", 12.5);
	}

}
