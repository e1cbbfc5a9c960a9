package dev.mcpgovernance.discovery;

import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * One real tool as discovery shows it.
 *
 * @param tool the MCP tool, with its full input schema
 * @param domain the domain of the scope it requires; {@link ToolCatalog#UNGOVERNED_DOMAIN} for an
 * ungoverned tool the server allows
 */
record CatalogTool(Tool tool, String domain) {

	public String name() {
		return this.tool.name();
	}

	/** The description's first sentence, on one line: what a listing shows. */
	public String summary() {
		String description = (this.tool.description() != null) ? this.tool.description().strip() : "";
		int end = description.indexOf('\n');
		String line = (end >= 0) ? description.substring(0, end) : description;
		int sentence = line.indexOf(". ");
		line = (sentence >= 0) ? line.substring(0, sentence + 1) : line;
		return (line.length() > 120) ? line.substring(0, 119) + "…" : line;
	}

}
