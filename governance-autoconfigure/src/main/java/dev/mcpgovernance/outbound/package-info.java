/**
 * The credentials this server sends when it calls another service on a caller's behalf (the OpenAPI
 * connectors' APIs, the gateway's upstream MCP servers): {@link dev.mcpgovernance.outbound.DownstreamAuth}
 * says which, {@link dev.mcpgovernance.outbound.DownstreamAuthorizers} turns it into a
 * {@link dev.mcpgovernance.outbound.RequestAuthorizer}, and {@link dev.mcpgovernance.outbound.TokenExchanger}
 * exchanges the caller's token (RFC 8693) with a cache of the results.
 */
package dev.mcpgovernance.outbound;
