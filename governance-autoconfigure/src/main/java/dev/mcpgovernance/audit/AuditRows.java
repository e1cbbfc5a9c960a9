package dev.mcpgovernance.audit;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a row of {@code mcp_governance_audit} back into a record. */
final class AuditRows {

	private AuditRows() {
	}

	static AuditRecord map(ResultSet rs) throws SQLException {
		return new AuditRecord(rs.getString("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("request_id"),
				rs.getString("key_id"), rs.getString("owner_id"), rs.getString("owner_label"), rs.getString("tenant"),
				rs.getString("transport"), rs.getString("domain"), rs.getString("tool"), rs.getString("resource"),
				rs.getString("action"), rs.getString("outcome"), rs.getString("error_code"), rs.getString("data_source"),
				rs.getBoolean("cache_hit"), rs.getLong("latency_us"), rs.getString("argument_shape"),
				rs.getString("trace_id"), rs.getString("span_id"), rs.getString("stream_id"), rs.getLong("stream_seq"), trimmed(rs.getString("prev_hash")),
				trimmed(rs.getString("row_hash")));
	}

	private static String trimmed(String fixedWidth) {
		return (fixedWidth != null) ? fixedWidth.trim() : null;
	}

}
