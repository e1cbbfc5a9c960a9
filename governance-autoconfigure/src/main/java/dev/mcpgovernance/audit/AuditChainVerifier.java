package dev.mcpgovernance.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Checks the hash chains of {@code mcp_governance_audit}, stream by stream in sequence order, and
 * names every row where a chain breaks: a row whose hash does not match its fields was edited; a
 * sequence gap, or a previous hash that is not the row before's, means rows were deleted (or
 * inserted, or records were lost before they reached the journal). After a break the check goes on from the row as stored, so one edit is reported once.
 * <p>
 * Each stream is checked from its oldest remaining row, because retention deletes the oldest rows of
 * a stream; so the oldest rows of a stream and rows after a stream's last one are beyond what the
 * chain alone can vouch for (see docs/audit.md).
 */
public class AuditChainVerifier {

	/** Breaks reported at most, so a wholly rewritten table does not produce a huge report. */
	public static final int MAX_BREAKS = 1000;

	private static final int FETCH_SIZE = 1000;

	private final DataSource dataSource;

	public AuditChainVerifier(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	public Verification verify() {
		List<Break> breaks = new ArrayList<>();
		long rows = 0;
		int streams = 0;
		long gaps = 0;
		long missingRows = 0;
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			// PostgreSQL streams rows with a cursor only inside a transaction.
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement("SELECT " + JdbcAuditWriter.COLUMNS
					+ " FROM " + JdbcAuditWriter.TABLE + " ORDER BY stream_id, stream_seq")) {
				statement.setFetchSize(FETCH_SIZE);
				try (ResultSet rs = statement.executeQuery()) {
					AuditRecord previous = null;
					while (rs.next()) {
						AuditRecord row = AuditRows.map(rs);
						rows++;
						boolean newStream = previous == null || !previous.streamId().equals(row.streamId());
						if (newStream) {
							streams++;
							previous = null;
						}
						if (previous != null && row.streamSeq() != previous.streamSeq() + 1) {
							gaps++;
							missingRows += row.streamSeq() - previous.streamSeq() - 1;
						}
						check(previous, row, breaks);
						previous = row;
					}
				}
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new AuditWriteException("Could not read the audit trail (SQL state " + ex.getSQLState() + ")");
		}
		boolean truncated = breaks.size() > MAX_BREAKS;
		return new Verification(streams, rows, gaps, missingRows,
				truncated ? List.copyOf(breaks.subList(0, MAX_BREAKS)) : List.copyOf(breaks), truncated);
	}

	/**
	 * Rows missing inside the streams' sequences, from one aggregate query (no hashes checked): cheap
	 * enough for a health check. A stream's positions from its oldest to its newest remaining row
	 * that hold no row are counted.
	 */
	public long missingRows() {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT COALESCE(SUM(last_seq - first_seq + 1 - stored), 0) FROM (SELECT MIN(stream_seq) AS first_seq, "
								+ "MAX(stream_seq) AS last_seq, COUNT(*) AS stored FROM " + JdbcAuditWriter.TABLE
								+ " GROUP BY stream_id) streams");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new AuditWriteException("Could not read the audit trail (SQL state " + ex.getSQLState() + ")");
		}
	}

	private static void check(AuditRecord previous, AuditRecord row, List<Break> breaks) {
		if (breaks.size() > MAX_BREAKS) {
			return;
		}
		if (previous != null) {
			if (row.streamSeq() != previous.streamSeq() + 1) {
				breaks.add(new Break(row.streamId(), row.streamSeq(), row.id(), Problem.ROWS_MISSING,
						"rows " + (previous.streamSeq() + 1) + " to " + (row.streamSeq() - 1) + " of the stream are missing"));
			}
			else if (!previous.rowHash().equals(row.prevHash())) {
				breaks.add(new Break(row.streamId(), row.streamSeq(), row.id(), Problem.CHAIN_MISMATCH,
						"the previous hash does not match the row before"));
			}
		}
		if (!AuditChain.hash(row).equals(row.rowHash())) {
			breaks.add(new Break(row.streamId(), row.streamSeq(), row.id(), Problem.ROW_EDITED,
					"the row's content does not match its hash"));
		}
	}

	/** What a break means. */
	public enum Problem {

		/** The row's fields were changed after it was written. */
		ROW_EDITED,

		/** Positions before this one hold no row: records deleted, or dropped before they reached the journal. */
		ROWS_MISSING,

		/** The row does not follow the row before it in the chain (a row was replaced or inserted). */
		CHAIN_MISMATCH

	}

	/**
	 * A row where a chain breaks.
	 * @param streamId the stream
	 * @param streamSeq the row's position in it
	 * @param recordId the row's id
	 * @param problem what is wrong
	 * @param detail a readable explanation (no row content)
	 */
	public record Break(String streamId, long streamSeq, String recordId, Problem problem, String detail) {
	}

	/**
	 * The result of a verification.
	 * @param streams streams checked
	 * @param rows rows checked
	 * @param gaps places where a stream skips positions (records lost or deleted), each also a
	 *        {@link Problem#ROWS_MISSING} break naming the positions
	 * @param missingRows positions skipped in all gaps together
	 * @param breaks every break found, oldest first per stream, at most {@link #MAX_BREAKS}
	 * @param truncated whether there were more breaks than reported
	 */
	public record Verification(int streams, long rows, long gaps, long missingRows, List<Break> breaks,
			boolean truncated) {

		public boolean intact() {
			return this.breaks.isEmpty();
		}

	}

}
