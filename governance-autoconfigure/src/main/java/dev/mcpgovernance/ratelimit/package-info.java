/**
 * Rate limits: per caller on the MCP endpoint, per tool (per caller and global) and a call budget,
 * kept in memory or in Redis ({@link dev.mcpgovernance.ratelimit.RateLimitStore}); configured under
 * {@code mcp.governance.rate-limit.*}, and per tool on {@link dev.mcpgovernance.tool.GovernedTool}.
 */
package dev.mcpgovernance.ratelimit;
