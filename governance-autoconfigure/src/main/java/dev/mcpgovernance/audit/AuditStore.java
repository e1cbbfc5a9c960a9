package dev.mcpgovernance.audit;

/** Where the starter's audit writer puts records. */
public enum AuditStore {

	/** The table mcp_governance_audit in the application's DataSource. */
	JDBC,

	/** JSON lines to the logger {@code mcp.governance.audit}. */
	LOG,

	/** Nowhere. */
	NONE

}
