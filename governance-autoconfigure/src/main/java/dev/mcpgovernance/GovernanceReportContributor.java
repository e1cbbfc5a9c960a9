package dev.mcpgovernance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A concern's part of the governance report (the start-up report, the lint and the
 * {@code mcp-governance} info contributor): where it keeps its state, and its cell in each tool's
 * row. Each concern's auto-configuration declares its own; the report asks every bean of this type,
 * in {@code @Order}, so that it knows no concern's classes. A concern that is switched off declares
 * none, and the report shows it as off.
 */
public interface GovernanceReportContributor {

	/** Where this concern keeps its state, for the report's stores line, e.g. {@code rate-limit=redis}. */
	default Map<String, String> stores() {
		return Map.of();
	}

	/** The tool's RATE LIMIT cell, e.g. {@code 10/min per caller}, when this concern limits tools. */
	default Optional<String> rateLimit(ReportedTool tool) {
		return Optional.empty();
	}

	/** The tool's REDACTION cell, e.g. {@code default + card}, when this concern redacts results. */
	default Optional<String> redaction(ReportedTool tool) {
		return Optional.empty();
	}

	/**
	 * What the report knows of one tool, in plain values.
	 *
	 * @param name the MCP tool name
	 * @param scope the required scope; {@code null} for a tool without a policy
	 * @param rateLimit the per-caller limit its annotation declares; empty for none
	 * @param globalRateLimit the all-callers limit its annotation declares; empty for none
	 * @param redactKeys the tool's own keys to redact
	 */
	record ReportedTool(String name, String scope, String rateLimit, String globalRateLimit,
			List<String> redactKeys) {

		public ReportedTool {
			redactKeys = (redactKeys != null) ? List.copyOf(redactKeys) : List.of();
		}

	}

}
