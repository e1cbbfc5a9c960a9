package dev.mcpgovernance.testapp;

import dev.mcpgovernance.tool.GovernedTool;
import org.springframework.ai.mcp.annotation.McpTool;

/** A tool with its own rate limits in the annotation. */
public class RateLimitedTools {

	@McpTool(name = "limited_ping", description = "Answers pong, at most twice a day per caller")
	@GovernedTool(domain = "orders", resource = "ping", action = "read", rateLimit = "2/day", globalRateLimit = "3/day")
	public String ping() {
		return "pong";
	}

}
