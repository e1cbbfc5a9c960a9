package dev.mcpgovernance.audit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Pages through {@code mcp_governance_audit} by owner, tool, outcome and time range, newest first. */
public class AuditQueryService {

	private final JdbcClient jdbc;

	public AuditQueryService(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public AuditQuery.Page find(AuditQuery query) {
		StringBuilder sql = new StringBuilder("SELECT " + JdbcAuditWriter.COLUMNS + " FROM " + JdbcAuditWriter.TABLE);
		List<Object> params = new ArrayList<>();
		String joiner = " WHERE ";
		if (query.ownerId() != null) {
			sql.append(joiner).append("owner_id = ?");
			params.add(query.ownerId());
			joiner = " AND ";
		}
		if (query.tool() != null) {
			sql.append(joiner).append("tool = ?");
			params.add(query.tool());
			joiner = " AND ";
		}
		if (query.outcome() != null) {
			sql.append(joiner).append("outcome = ?");
			params.add(query.outcome());
			joiner = " AND ";
		}
		if (query.from() != null) {
			sql.append(joiner).append("occurred_at >= ?");
			params.add(Timestamp.from(query.from()));
			joiner = " AND ";
		}
		if (query.to() != null) {
			sql.append(joiner).append("occurred_at < ?");
			params.add(Timestamp.from(query.to()));
		}
		// One row more than the page tells whether another page follows, without a count query.
		sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?");
		params.add(query.size() + 1);
		params.add((long) query.page() * query.size());
		List<AuditRecord> rows = this.jdbc.sql(sql.toString()).params(params).query((rs, row) -> AuditRows.map(rs)).list();
		boolean hasNext = rows.size() > query.size();
		return new AuditQuery.Page(hasNext ? rows.subList(0, query.size()) : rows, query.page(), query.size(), hasNext);
	}

}
