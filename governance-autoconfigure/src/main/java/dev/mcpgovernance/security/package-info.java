/**
 * The MCP endpoints' filter chain and RFC 9728 metadata: the starter's own chain protects them by
 * default; {@link dev.mcpgovernance.security.McpGovernanceConfigurer} puts the same rules into an
 * application's chain instead. The filters themselves are internal.
 */
package dev.mcpgovernance.security;
