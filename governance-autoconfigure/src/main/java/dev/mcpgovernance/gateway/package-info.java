/**
 * Gateway mode: upstream MCP servers configured under {@code mcp.governance.gateway.upstreams.*}
 * (or added through the admin API) whose tools, resources and prompts this server exposes as its
 * own governed ones. {@link dev.mcpgovernance.gateway.McpGateway} says what is exposed and how each
 * upstream is doing; a {@link dev.mcpgovernance.gateway.RuntimeUpstreamStore} keeps the upstreams
 * added at run time.
 */
package dev.mcpgovernance.gateway;
