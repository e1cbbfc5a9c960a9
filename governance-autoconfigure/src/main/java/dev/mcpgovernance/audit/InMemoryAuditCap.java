package dev.mcpgovernance.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps an audit table in an in-memory database (an embedded H2 at {@code jdbc:h2:mem:}, the
 * default of an application that has H2 and no database of its own) from growing without bound: it
 * deletes the oldest rows beyond a cap, the oldest stream first and each stream from its lowest
 * position, so what remains of every stream is an unbroken tail and verification stays intact. At
 * start it logs where the trail goes and how to make it durable. A database on disk or on a server
 * is left alone.
 */
class InMemoryAuditCap implements AutoCloseable {

	static final String IN_MEMORY_H2 = "jdbc:h2:mem:";

	/**
	 * The migration's indexes by time, owner and tool, which no write or cap needs (see
	 * {@link #dropIndexesNoWriteNeedsOnce()}).
	 */
	static final List<String> SECONDARY_INDEXES = List.of("ix_mcp_governance_audit_time",
			"ix_mcp_governance_audit_owner", "ix_mcp_governance_audit_tool");

	private static final Log logger = LogFactory.getLog(InMemoryAuditCap.class);

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final int maxRows;

	private final int batchSize;

	private final Duration interval;

	private ScheduledExecutorService scheduler;

	private volatile boolean indexesDropped;

	/**
	 * @param maxRows rows kept at most
	 * @param batchSize rows deleted per statement
	 * @param interval how often the table is checked
	 */
	public InMemoryAuditCap(DataSource dataSource, int maxRows, int batchSize, Duration interval) {
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.maxRows = maxRows;
		this.batchSize = batchSize;
		this.interval = interval;
	}

	/** When the database is in memory: logs so and caps the table every interval, on a daemon thread. */
	public void start() {
		if (!inMemory()) {
			return;
		}
		logger.info("The audit trail is kept in an in-memory database: it is lost at every restart and holds the "
				+ this.maxRows + " newest records (mcp.governance.audit.in-memory-max-rows). To keep it, give the "
				+ "application a database on disk or a server, e.g. spring.datasource.url=jdbc:h2:file:./data/app "
				+ "or PostgreSQL (docs/audit.md)");
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "mcp-governance-audit-cap");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::capQuietly, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	/** Whether the cap applies: the database is an in-memory H2. */
	public boolean inMemory() {
		try (Connection connection = this.dataSource.getConnection()) {
			String url = connection.getMetaData().getURL();
			return url != null && url.startsWith(IN_MEMORY_H2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * Drops the table's indexes by time, owner and tool (the migration's, for tables on disk and
	 * servers) and its primary key once the table is there: in a table of at most a few ten thousand
	 * rows in memory a query by owner or tool scans it in a few milliseconds, while every row written
	 * and every row the cap deletes paid for each index one more entry: the three indexes were a fifth
	 * of the audit threads' CPU in the governed benchmark, the primary key (a random text id, checked
	 * for uniqueness on every insert) a third of what was left (issue 23). The unique stream position
	 * stays: writes, the cap and verification use it, and since a record's id and its position are
	 * fixed together when it is chained, it is also what refuses a record stored already, which the
	 * writer then stores again by id, once ({@code MERGE … KEY (id)}, a scan of this small table, only
	 * after a failed write). The database lives as long as the application, so nothing outlasts it.
	 */
	void dropIndexesNoWriteNeedsOnce() {
		if (this.indexesDropped) {
			return;
		}
		// Throws while the migration has not created the table yet: the next run tries again.
		this.jdbc.sql("SELECT COUNT(*) FROM " + JdbcAuditWriter.TABLE).query(Long.class).single();
		for (String index : SECONDARY_INDEXES) {
			this.jdbc.sql("DROP INDEX IF EXISTS " + index).update();
		}
		// Another application context may have dropped it in the same named in-memory database.
		if (hasPrimaryKey()) {
			this.jdbc.sql("ALTER TABLE " + JdbcAuditWriter.TABLE + " DROP PRIMARY KEY").update();
		}
		this.indexesDropped = true;
	}

	private boolean hasPrimaryKey() {
		return this.jdbc
			.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = ? AND CONSTRAINT_TYPE = 'PRIMARY KEY'")
			.param(JdbcAuditWriter.TABLE.toUpperCase(Locale.ROOT))
			.query(Long.class)
			.single() > 0;
	}

	/** Deletes the oldest rows beyond the cap; returns how many. */
	public long cap() {
		long excess = this.jdbc.sql("SELECT COUNT(*) FROM " + JdbcAuditWriter.TABLE).query(Long.class).single()
				- this.maxRows;
		long deleted = 0;
		if (excess <= 0) {
			return 0;
		}
		List<String> streams = this.jdbc
			.sql("SELECT stream_id FROM " + JdbcAuditWriter.TABLE + " GROUP BY stream_id ORDER BY MIN(occurred_at)")
			.query(String.class)
			.list();
		for (String stream : streams) {
			while (excess > 0) {
				int batch = StreamTails.deleteOldest(this.jdbc, stream, Long.MAX_VALUE, Math.min(excess, this.batchSize));
				if (batch < 0) {
					break;
				}
				excess -= batch;
				deleted += batch;
			}
		}
		return deleted;
	}

	private void capQuietly() {
		try {
			dropIndexesNoWriteNeedsOnce();
			cap();
		}
		catch (RuntimeException ex) {
			logger.warn("Capping the in-memory audit trail failed (" + ex.getClass().getName() + "); it runs again in "
					+ this.interval);
		}
	}

}
