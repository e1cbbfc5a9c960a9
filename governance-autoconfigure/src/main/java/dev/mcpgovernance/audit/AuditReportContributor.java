package dev.mcpgovernance.audit;

import java.util.Map;

import dev.mcpgovernance.GovernanceReportContributor;

import org.springframework.beans.factory.ObjectProvider;

/** The audit trail's part of the governance report: where records go. */
class AuditReportContributor implements GovernanceReportContributor {

	private final ObjectProvider<AuditWriter> writer;

	/** @param writer read when the report is made, so that an application's writer counts */
	public AuditReportContributor(ObjectProvider<AuditWriter> writer) {
		this.writer = writer;
	}

	@Override
	public Map<String, String> stores() {
		return Map.of("audit", store(this.writer.getIfAvailable()));
	}

	private static String store(AuditWriter writer) {
		if (writer == null || writer instanceof NoopAuditWriter) {
			return "off";
		}
		return (writer instanceof JdbcAuditWriter) ? "jdbc"
				: (writer instanceof LoggingAuditWriter) ? "log" : writer.getClass().getSimpleName();
	}

}
