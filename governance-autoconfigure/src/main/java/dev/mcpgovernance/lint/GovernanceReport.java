package dev.mcpgovernance.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What this server exposes and how it is governed, as the start-up report, the lint and the
 * {@code mcp-governance} info contributor show it. Holds no secret.
 *
 * @param transport {@code stdio}, {@code sse}, {@code streamable} or {@code stateless}
 * @param endpoints the MCP endpoint paths the starter protects (the primary one first); empty on STDIO
 * @param authentication the credentials accepted: {@code api-key}, {@code oauth}
 * @param stores where governance state lives, by concern ({@code api-keys}, {@code rate-limit})
 * @param exposure what happens to tools without {@code @GovernedTool}
 * @param tools every exposed tool, by name
 * @param scopes every scope some governed tool requires
 * @param findings the warnings; the lint fails when there is one
 * @param otherPaths who secures the application's paths outside the starter's; {@code null} without a web server
 */
public record GovernanceReport(String transport, List<String> endpoints, List<String> authentication,
		Map<String, String> stores, String exposure, List<ToolEntry> tools, Set<String> scopes, List<Finding> findings,
		String otherPaths) {

	public GovernanceReport {
		endpoints = List.copyOf(endpoints);
		authentication = List.copyOf(authentication);
		stores = Map.copyOf(stores);
		tools = List.copyOf(tools);
		scopes = Set.copyOf(scopes);
		findings = List.copyOf(findings);
	}

	/**
	 * One exposed tool.
	 *
	 * @param name the MCP tool name
	 * @param scope the required scope; {@code null} for an ungoverned tool
	 * @param destructive whether it may change data: its MCP hints say so, or its action is not a read action
	 * @param rateLimit its tool-level limits, e.g. {@code 10/min per caller}; {@code none}
	 * @param redaction {@code off}, {@code default}, or the default plus the tool's own keys
	 * @param audit whether its calls are audited
	 */
	public record ToolEntry(String name, String scope, boolean destructive, String rateLimit, String redaction,
			boolean audit) {
	}

	/** The report as one block of text, a table of the tools followed by the findings. */
	public String render() {
		StringBuilder text = new StringBuilder("MCP Governance: ").append(this.tools.size())
			.append((this.tools.size() == 1) ? " tool" : " tools")
			.append(" over ")
			.append(this.transport);
		if (!this.endpoints.isEmpty()) {
			text.append(" at ").append(String.join(", ", this.endpoints));
		}
		text.append('\n')
			.append("  authentication: ")
			.append(this.authentication.isEmpty() ? "none" : String.join(", ", this.authentication))
			.append('\n')
			.append("  stores: ")
			.append(this.stores.entrySet()
				.stream()
				.sorted(Map.Entry.comparingByKey())
				.map((store) -> store.getKey() + "=" + store.getValue())
				.collect(Collectors.joining(", ")))
			.append('\n')
			.append("  ungoverned tools: ").append(this.exposure).append('\n');
		if ("log".equals(this.stores.get("audit"))) {
			text.append("  audit: to the log only (logger mcp.governance.audit); for a durable, queryable trail add ")
				.append("mcp-governance-spring-boot-starter-jdbc and a DataSource\n");
		}
		if (this.otherPaths != null) {
			text.append("  other paths: ").append(this.otherPaths).append('\n');
		}
		appendTable(text);
		if (this.findings.isEmpty()) {
			text.append("  no warnings");
		}
		else {
			text.append("  ").append(this.findings.size()).append((this.findings.size() == 1) ? " warning:" : " warnings:");
			this.findings.forEach((finding) -> text.append("\n  - ").append(finding));
		}
		return text.toString();
	}

	private void appendTable(StringBuilder text) {
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "TOOL", "SCOPE", "DESTRUCTIVE", "RATE LIMIT", "REDACTION", "AUDIT" });
		for (ToolEntry tool : this.tools) {
			rows.add(new String[] { tool.name(), (tool.scope() != null) ? tool.scope() : "(none)",
					tool.destructive() ? "yes" : "no", tool.rateLimit(), tool.redaction(), tool.audit() ? "yes" : "no" });
		}
		int[] widths = new int[rows.get(0).length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		Function<String[], String> line = (row) -> {
			StringBuilder cells = new StringBuilder("  ");
			for (int i = 0; i < row.length; i++) {
				cells.append(String.format("%-" + (widths[i] + 2) + "s", row[i]));
			}
			return cells.toString().stripTrailing();
		};
		rows.forEach((row) -> text.append(line.apply(row)).append('\n'));
	}

}
