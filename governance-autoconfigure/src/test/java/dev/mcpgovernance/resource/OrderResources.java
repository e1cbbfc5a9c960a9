package dev.mcpgovernance.resource;

import java.util.List;

import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

import org.springframework.ai.mcp.annotation.McpArg;
import org.springframework.ai.mcp.annotation.McpComplete;
import org.springframework.ai.mcp.annotation.McpPrompt;
import org.springframework.ai.mcp.annotation.McpResource;
import org.springframework.stereotype.Component;

/**
 * Resources, a resource template, prompts and completions, governed and not, for the resource
 * governance tests: an orders server.
 */
@Component
public class OrderResources {

	/** What {@code orders://{orderId}} answers: JSON with a field the redaction must remove. */
	static String order(String orderId) {
		return "{\"orderId\":\"" + orderId + "\",\"status\":\"shipped\",\"password\":\"hunter2\"}";
	}

	@McpResource(uri = "orders://{orderId}", name = "order", mimeType = "application/json",
			description = "One order")
	@GovernedResource(domain = "orders", resource = "order")
	public String read(String orderId) {
		return order(orderId);
	}

	@McpResource(uri = "orders://stats", name = "order_stats", description = "Order statistics")
	@GovernedResource(domain = "orders", resource = "stats")
	public String stats() {
		return "42 orders";
	}

	@McpResource(uri = "orders://recent", name = "recent_orders", description = "Recent orders, rate limited")
	@GovernedResource(domain = "orders", resource = "recent", rateLimit = "2/min")
	public String recent() {
		return "[]";
	}

	@McpResource(uri = "notes://{noteId}", name = "note", description = "An ungoverned note")
	public String note(String noteId) {
		return "note " + noteId;
	}

	@McpPrompt(name = "summarize_order", description = "Summarize one order")
	@GovernedPrompt(domain = "orders", resource = "order")
	public GetPromptResult summarize(@McpArg(name = "orderId", description = "The order", required = true) String orderId) {
		return new GetPromptResult("Summarize an order",
				List.of(new PromptMessage(Role.USER, new TextContent("Summarize order " + orderId + ".")),
						new PromptMessage(Role.USER, new TextContent(order(orderId)))));
	}

	@McpPrompt(name = "free_prompt", description = "An ungoverned prompt")
	public GetPromptResult free(@McpArg(name = "topic", description = "Anything", required = true) String topic) {
		return new GetPromptResult("Free", List.of(new PromptMessage(Role.USER, new TextContent(topic))));
	}

	@McpComplete(prompt = "summarize_order")
	public List<String> completeOrderIdForPrompt(String value) {
		return List.of(value + "1", value + "2");
	}

	/** Completes an order id; fails (with data in the message) for the value {@code fail}. */
	@McpComplete(uri = "orders://{orderId}")
	public List<String> completeOrderId(String value) {
		if ("fail".equals(value)) {
			throw new IllegalStateException("SELECT order_id FROM orders WHERE secret = 'hunter2'");
		}
		return List.of(value + "7");
	}

}
