package dev.mcpgovernance.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Writes audit records into {@code mcp_governance_audit} with JDBC batches, one transaction per
 * batch. A record whose id is already stored is skipped ({@code ON CONFLICT DO NOTHING} on
 * PostgreSQL; on H2 a batch refused for a stored id is written again with {@code MERGE … KEY (id)}),
 * so writing a journal back twice stores it once.
 * On PostgreSQL, add {@code reWriteBatchedInserts=true} to the JDBC URL: the driver then sends a
 * batch as multi-row inserts (see docs/audit.md for the measured difference).
 */
public class JdbcAuditWriter implements AuditWriter {

	static final String TABLE = "mcp_governance_audit";

	static final String COLUMNS = "id, occurred_at, request_id, key_id, owner_id, owner_label, tenant, transport, domain, "
			+ "tool, resource, action, outcome, error_code, data_source, cache_hit, latency_us, argument_shape, "
			+ "trace_id, span_id, stream_id, stream_seq, prev_hash, row_hash";

	private static final String VALUES = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private final DataSource dataSource;

	/** SQL state of a unique-key violation. */
	private static final String DUPLICATE_KEY = "23505";

	private volatile Statements statements;

	public JdbcAuditWriter(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public void write(List<AuditRecord> records) {
		if (records.isEmpty()) {
			return;
		}
		try (Connection connection = this.dataSource.getConnection()) {
			Statements statements = statements(connection);
			try {
				writeBatch(connection, statements.insert(), records);
			}
			catch (SQLException ex) {
				if (!DUPLICATE_KEY.equals(ex.getSQLState())) {
					throw ex;
				}
				// A journal written back after a crash: some of its records are stored already.
				writeBatch(connection, statements.retryOnDuplicate(), records);
			}
		}
		catch (SQLException ex) {
			// No message: a driver may quote the statement's parameters in it.
			throw new AuditWriteException("Audit batch of " + records.size() + " records not stored (SQL state "
					+ ex.getSQLState() + ")");
		}
	}

	/** One transaction: all of the batch or none of it. */
	private static void writeBatch(Connection connection, String sql, List<AuditRecord> records) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (AuditRecord record : records) {
				bind(statement, record);
				statement.addBatch();
			}
			statement.executeBatch();
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	/**
	 * Picked on the first write, not at start-up: the database may well be down then. A plain
	 * {@code INSERT}, and the statement that skips stored records only for a batch that holds one (a
	 * journal written back after a crash). H2's {@code MERGE} tries an {@code UPDATE} of every row
	 * first, which was most of the audit writer's time in the embedded default; PostgreSQL's
	 * {@code ON CONFLICT DO NOTHING} makes every row a speculative insertion, about a fifth more of the
	 * server's CPU per row (issue 23).
	 */
	private Statements statements(Connection connection) throws SQLException {
		Statements statements = this.statements;
		if (statements == null) {
			String product = connection.getMetaData().getDatabaseProductName();
			String insert = "INSERT INTO " + TABLE + " (" + COLUMNS + ") " + VALUES;
			statements = new Statements(insert,
					(DatabaseDriver.fromProductName(product) == DatabaseDriver.H2)
							? "MERGE INTO " + TABLE + " (" + COLUMNS + ") KEY (id) " + VALUES
							: insert + " ON CONFLICT DO NOTHING");
			this.statements = statements;
		}
		return statements;
	}

	private static void bind(PreparedStatement statement, AuditRecord record) throws SQLException {
		statement.setString(1, record.id());
		statement.setTimestamp(2, Timestamp.from(record.occurredAt()));
		statement.setString(3, record.requestId());
		statement.setString(4, record.keyId());
		statement.setString(5, record.ownerId());
		statement.setString(6, record.ownerLabel());
		statement.setString(7, record.tenant());
		statement.setString(8, record.transport());
		statement.setString(9, record.domain());
		statement.setString(10, record.tool());
		statement.setString(11, record.resource());
		statement.setString(12, record.action());
		statement.setString(13, record.outcome());
		statement.setString(14, record.errorCode());
		statement.setString(15, record.dataSource());
		statement.setBoolean(16, record.cacheHit());
		statement.setLong(17, record.latencyMicros());
		if (record.argumentShape() != null) {
			statement.setString(18, record.argumentShape());
		}
		else {
			statement.setNull(18, Types.VARCHAR);
		}
		statement.setString(19, record.traceId());
		statement.setString(20, record.spanId());
		statement.setString(21, record.streamId());
		statement.setLong(22, record.streamSeq());
		statement.setString(23, record.prevHash());
		statement.setString(24, record.rowHash());
	}

	/**
	 * @param insert the statement for a batch
	 * @param retryOnDuplicate for a batch the first refused for a stored record
	 */
	private record Statements(String insert, String retryOnDuplicate) {
	}

}
