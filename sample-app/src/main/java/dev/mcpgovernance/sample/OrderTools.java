package dev.mcpgovernance.sample;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import dev.mcpgovernance.adapter.Cached;
import dev.mcpgovernance.adapter.DataSourceGroup;
import dev.mcpgovernance.adapter.DataSourceManager;
import dev.mcpgovernance.tool.GovernedTool;
import dev.mcpgovernance.tool.InvalidInput;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpTool.McpAnnotations;
import org.springframework.ai.mcp.annotation.McpToolParam;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;

/**
 * The sample's MCP tools. Each one names the scope it needs with {@link GovernedTool}; the domain
 * comes from {@code mcp.governance.domain: orders}. Creating and cancelling change data, so they
 * carry the MCP {@code destructiveHint}.
 *
 * <p>Reads go through the {@link OrderSource}s (database first, replica when it fails); writes go to
 * the database only, since a replica cannot take them. Lists are cached for a few seconds
 * ({@code mcp.governance.cache.namespaces.recent-orders.ttl}).
 */
@Component
public class OrderTools {

	private static final Set<String> STATUSES = Set.of("open", "cancelled");

	private static final ParameterizedTypeReference<List<Order>> ORDER_LIST = new ParameterizedTypeReference<>() {
	};

	private final OrderRepository orders;

	private final DataSourceGroup<OrderSource> sources;

	public OrderTools(OrderRepository orders, DataSourceManager dataSources) {
		this.orders = orders;
		this.sources = dataSources.group(OrderSource.GROUP, OrderSource.class);
	}

	@McpTool(name = "get_order", description = "Get one order by its id.",
			annotations = @McpAnnotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true,
					openWorldHint = false))
	@GovernedTool(resource = "order", action = "read")
	public Order getOrder(@McpToolParam(description = "The order id, e.g. ord_1001") String orderId) {
		return this.sources.call((source) -> source.find(orderId))
			.orElseThrow(() -> new InvalidInput("orderId", "No order has this id."));
	}

	@McpTool(name = "list_orders", description = "List recent orders, optionally only those with a status.",
			annotations = @McpAnnotations(readOnlyHint = true, destructiveHint = false, idempotentHint = true,
					openWorldHint = false))
	@GovernedTool(resource = "order", action = "read")
	public List<Order> listOrders(
			@McpToolParam(description = "open or cancelled; all when omitted", required = false) String status,
			@McpToolParam(description = "at most this many orders, 1 to 100; 20 when omitted", required = false) Integer limit) {
		if (status != null && !STATUSES.contains(status)) {
			throw new InvalidInput("status", "status must be one of " + STATUSES + ".");
		}
		int max = (limit != null) ? limit : 20;
		if (max < 1 || max > 100) {
			throw new InvalidInput("limit", "limit must be between 1 and 100.");
		}
		return this.sources.call(Cached.in("recent-orders", ORDER_LIST, status, max),
				(source) -> source.list(status, max));
	}

	@McpTool(name = "create_order", description = "Create an order.",
			annotations = @McpAnnotations(readOnlyHint = false, destructiveHint = true, idempotentHint = false,
					openWorldHint = false))
	@GovernedTool(resource = "order", action = "create")
	public Order createOrder(@McpToolParam(description = "Customer id") String customer,
			@McpToolParam(description = "Item name") String item,
			@McpToolParam(description = "How many, 1 to 1000") int quantity,
			@McpToolParam(description = "Total price") BigDecimal total) {
		if (quantity < 1 || quantity > 1000) {
			throw new InvalidInput("quantity", "quantity must be between 1 and 1000.");
		}
		return this.orders.create(customer, item, quantity, total);
	}

	@McpTool(name = "cancel_order", description = "Cancel an open order.",
			annotations = @McpAnnotations(readOnlyHint = false, destructiveHint = true, idempotentHint = true,
					openWorldHint = false))
	@GovernedTool(resource = "order", action = "cancel")
	public Order cancelOrder(@McpToolParam(description = "The order id") String orderId) {
		if (!this.orders.cancel(orderId)) {
			throw new InvalidInput("orderId", "No open order has this id.");
		}
		return this.orders.find(orderId).orElseThrow();
	}

}
