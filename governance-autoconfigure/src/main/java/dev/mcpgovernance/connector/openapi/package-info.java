/**
 * OpenAPI connectors: the operations of an API described by an OpenAPI document become governed
 * tools. Declare them in configuration ({@code mcp.governance.openapi.connectors.*}) or as
 * {@link dev.mcpgovernance.connector.openapi.OpenApiConnector} beans.
 */
package dev.mcpgovernance.connector.openapi;
