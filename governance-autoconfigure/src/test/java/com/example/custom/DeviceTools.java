package com.example.custom;

import dev.mcpgovernance.tool.GovernedTool;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.McpToolUtils;
import org.springframework.ai.tool.annotation.Tool;

/** A tool that reads what the device's credential kind put in the MCP transport context. */
public class DeviceTools {

	@Tool(name = "device_id", description = "The calling device's id")
	@GovernedTool(domain = "inventory", resource = "item", action = "read")
	public String deviceId(ToolContext context) {
		return McpToolUtils.getMcpExchange(context)
			.map((exchange) -> String.valueOf(exchange.transportContext().get(DeviceCredentialKind.DEVICE_ID)))
			.orElse("no exchange");
	}

}
