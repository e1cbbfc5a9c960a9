package dev.mcpgovernance.testapp;

import java.util.Map;

import dev.mcpgovernance.tool.GovernedTool;
import dev.mcpgovernance.tool.InvalidInput;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;

/** {@code @McpTool} methods, found by Spring AI's annotation scanner. */
public class OrderTestTools {

	@McpTool(name = "get_order", description = "Get an order")
	@GovernedTool(domain = "orders", resource = "order", action = "read")
	public Map<String, Object> getOrder(@McpToolParam(description = "id") String orderId) {
		if (orderId.startsWith("bad")) {
			throw new InvalidInput("orderId", "Unknown order id.");
		}
		return Map.of("id", orderId, "status", "open", "total", 12.5);
	}

	@McpTool(name = "cancel_order", description = "Cancel an order")
	@GovernedTool(domain = "orders", resource = "order", action = "cancel")
	public String cancelOrder(@McpToolParam(description = "id") String orderId) {
		return "cancelled " + orderId;
	}

	@McpTool(name = "ungoverned_echo", description = "A tool nobody classified")
	public String ungovernedEcho(@McpToolParam(description = "text") String text) {
		return text;
	}

}
