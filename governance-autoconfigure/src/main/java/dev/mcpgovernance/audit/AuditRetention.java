package dev.mcpgovernance.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes audit rows older than the retention period, in bounded batches (one short transaction
 * each), on a schedule of its own so the host application's scheduling is left alone. Per stream it
 * deletes only rows before the stream's oldest row that is still within the period: the rows that
 * remain are always an unbroken tail of the chain, so verification never mistakes retention for
 * tampering (a call that started long before a later-sequenced one is kept a little longer instead).
 */
class AuditRetention implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AuditRetention.class);

	private final JdbcClient jdbc;

	private final Duration retention;

	private final int batchSize;

	private final Duration interval;

	private final Clock clock;

	private ScheduledExecutorService scheduler;

	public AuditRetention(JdbcClient jdbc, Duration retention, int batchSize, Duration interval, Clock clock) {
		this.jdbc = jdbc;
		this.retention = retention;
		this.batchSize = batchSize;
		this.interval = interval;
		this.clock = clock;
	}

	/** Runs {@link #purge()} now and then every interval, on a daemon thread. */
	public void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "mcp-governance-audit-retention");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::purgeQuietly, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	/** Deletes the rows past retention; returns how many. */
	public long purge() {
		Timestamp cutoff = Timestamp.from(Instant.now(this.clock).minus(this.retention));
		List<String> streams = this.jdbc
			.sql("SELECT DISTINCT stream_id FROM " + JdbcAuditWriter.TABLE + " WHERE occurred_at < ?")
			.param(cutoff)
			.query(String.class)
			.list();
		long deleted = 0;
		for (String stream : streams) {
			// Streams with nothing left within the period are deleted whole.
			long bound = this.jdbc
				.sql("SELECT COALESCE(MIN(stream_seq), ?) FROM " + JdbcAuditWriter.TABLE
						+ " WHERE stream_id = ? AND occurred_at >= ?")
				.params(Long.MAX_VALUE, stream, cutoff)
				.query(Long.class)
				.single();
			// Oldest first, so that an interrupted purge still leaves an unbroken tail.
			int batch;
			while ((batch = StreamTails.deleteOldest(this.jdbc, stream, bound, this.batchSize)) >= 0) {
				deleted += batch;
			}
		}
		return deleted;
	}

	private void purgeQuietly() {
		try {
			long deleted = purge();
			if (deleted > 0) {
				logger.info("Audit retention deleted " + deleted + " rows older than " + this.retention);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Audit retention failed (" + ex.getClass().getName() + "); it runs again in " + this.interval);
		}
	}

}
