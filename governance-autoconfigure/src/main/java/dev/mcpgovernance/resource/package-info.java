/**
 * Resources, resource templates and prompts governed as tools are: annotate them with
 * {@link dev.mcpgovernance.resource.GovernedResource} or {@link dev.mcpgovernance.resource.GovernedPrompt},
 * or give their scopes under {@code mcp.governance.resources.*}.
 */
package dev.mcpgovernance.resource;
