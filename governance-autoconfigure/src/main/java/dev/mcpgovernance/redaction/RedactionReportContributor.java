package dev.mcpgovernance.redaction;

import java.util.Optional;

import dev.mcpgovernance.GovernanceReportContributor;

/** Redaction's part of the governance report: what each tool's results lose. */
class RedactionReportContributor implements GovernanceReportContributor {

	@Override
	public Optional<String> redaction(ReportedTool tool) {
		return Optional.of(tool.redactKeys().isEmpty() ? "default" : "default + " + String.join(", ", tool.redactKeys()));
	}

}
