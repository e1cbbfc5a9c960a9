package dev.mcpgovernance.sample;

import java.util.List;

import dev.mcpgovernance.resource.GovernedPrompt;
import dev.mcpgovernance.resource.GovernedResource;
import dev.mcpgovernance.tool.InvalidInput;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.mcp.annotation.McpArg;
import org.springframework.ai.mcp.annotation.McpComplete;
import org.springframework.ai.mcp.annotation.McpPrompt;
import org.springframework.ai.mcp.annotation.McpResource;
import org.springframework.stereotype.Component;

/**
 * The sample's MCP resource and prompt: one order as JSON at {@code orders://{orderId}}, and a
 * prompt asking to summarize one. Both need {@code orders:order:read} ({@link GovernedResource},
 * {@link GovernedPrompt}; the domain comes from {@code mcp.governance.domain}), so a caller without
 * it neither sees them listed nor reads them, and completing an order id is refused to it too.
 */
@Component
public class OrderResources {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final OrderRepository orders;

	public OrderResources(OrderRepository orders) {
		this.orders = orders;
	}

	@McpResource(uri = "orders://{orderId}", name = "order", mimeType = "application/json",
			description = "One order, as JSON.")
	@GovernedResource(resource = "order")
	public String order(String orderId) {
		return JSON.writeValueAsString(find(orderId));
	}

	@McpPrompt(name = "summarize_order", description = "Asks for a short summary of one order.")
	@GovernedPrompt(resource = "order")
	public GetPromptResult summarize(
			@McpArg(name = "orderId", description = "The order id, e.g. ord_1001", required = true) String orderId) {
		return new GetPromptResult("Summarize an order", List.of(
				new PromptMessage(Role.USER, new TextContent("Summarize this order in one sentence for a customer.")),
				new PromptMessage(Role.USER, new TextContent(JSON.writeValueAsString(find(orderId))))));
	}

	/** Order ids starting with what the caller typed, for the template's variable. */
	@McpComplete(uri = "orders://{orderId}")
	public List<String> completeOrderId(String prefix) {
		return this.orders.list(null, 100).stream().map(Order::id).filter((id) -> id.startsWith(prefix)).toList();
	}

	private Order find(String orderId) {
		return this.orders.find(orderId).orElseThrow(() -> new InvalidInput("orderId", "No order has this id."));
	}

}
