package dev.mcpgovernance.audit;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes the oldest rows of one stream of the audit table, lowest positions first, so that what is
 * left of the stream is an unbroken tail and verification stays intact. A range on the
 * (stream_id, stream_seq) index: {@code id IN (SELECT … ORDER BY stream_seq LIMIT n)} made H2 run the
 * subquery again for every row it looked at (the in-memory cap was the governed benchmark server's
 * costliest thread).
 */
final class StreamTails {

	/**
	 * A stream's lowest position. Not {@code MIN(stream_seq)}: H2 answers that by reading every row of
	 * the stream (a third of the in-memory cap's CPU in the governed benchmark, issue 23), while the
	 * index order with one row reads one entry, on PostgreSQL too.
	 */
	static final String LOWEST_POSITION = "SELECT stream_seq FROM " + JdbcAuditWriter.TABLE
			+ " WHERE stream_id = ? ORDER BY stream_id, stream_seq FETCH FIRST 1 ROWS ONLY";

	private StreamTails() {
	}

	/**
	 * Deletes at most {@code max} of the stream's lowest rows, and only rows below {@code below}.
	 * Positions can have gaps (a dropped record keeps its position), so fewer may go.
	 * @return the rows deleted, or -1 when the stream has no row below {@code below}
	 */
	static int deleteOldest(JdbcClient jdbc, String stream, long below, long max) {
		Long lowest = jdbc.sql(LOWEST_POSITION)
			.param(stream)
			.query(Long.class)
			.optional()
			.orElse(null);
		if (lowest == null || lowest >= below) {
			return -1;
		}
		return jdbc.sql("DELETE FROM " + JdbcAuditWriter.TABLE + " WHERE stream_id = ? AND stream_seq < ?")
			.params(stream, Math.min(below, lowest + max))
			.update();
	}

}
