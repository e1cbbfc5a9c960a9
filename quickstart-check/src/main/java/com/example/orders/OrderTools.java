package com.example.orders;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernedTool;
import dev.mcpgovernance.tool.InvalidInput;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.stereotype.Component;

@Component
public class OrderTools {

    private final OrderRepository orders;   // your own code

    public OrderTools(OrderRepository orders) {
        this.orders = orders;
    }

    @McpTool(name = "get_order", description = "Get one order by its id.",
            annotations = @McpTool.McpAnnotations(readOnlyHint = true, destructiveHint = false))
    @GovernedTool(resource = "order", action = "read")      // requires orders:order:read
    public Order getOrder(@McpToolParam(description = "The order id") String orderId) {
        CallerIdentity caller = GovernanceContext.caller().orElseThrow(); // who is calling, if you need it
        return orders.find(orderId).orElseThrow(() -> new InvalidInput("orderId", "No order has this id."));
    }
}
