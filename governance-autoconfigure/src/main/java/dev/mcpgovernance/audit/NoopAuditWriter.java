package dev.mcpgovernance.audit;

import java.util.List;

/** Keeps nothing: for tests, or {@code mcp.governance.audit.store=none}. */
public class NoopAuditWriter implements AuditWriter {

	@Override
	public void write(List<AuditRecord> records) {
	}

}
