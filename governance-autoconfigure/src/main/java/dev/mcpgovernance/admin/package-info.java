/**
 * The admin REST API (off by default): API keys, the audit trail, capability minting and the gateway's
 * runtime upstreams, under its own filter chain; {@link dev.mcpgovernance.admin.AdminApi} holds its
 * scopes and the shapes it reads and writes. Nothing here is meant to be called from code.
 */
package dev.mcpgovernance.admin;
