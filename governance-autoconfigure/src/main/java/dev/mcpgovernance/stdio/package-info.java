/**
 * The STDIO transport's caller: the API key in {@code MCP_GOVERNANCE_API_KEY} (calls fail closed
 * without it), offered as the credential kind {@link dev.mcpgovernance.stdio.StdioKeyCredentialKind},
 * and a console kept quiet so that nothing but MCP reaches standard output.
 */
package dev.mcpgovernance.stdio;
