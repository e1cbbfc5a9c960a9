package dev.mcpgovernance.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A measurement run by hand (docs/benchmarks.md, "Audit durability"), not a test: eight threads
 * record calls into the shared PostgreSQL (a schema of its own, dropped afterwards) at a paced rate,
 * in default and then in strict durability, and it prints per mode the time {@link AuditPipeline#submit}
 * takes (what the call's answer waits) and the time from the answer until the record is forced to the
 * journal (the loss window of a crash), p50, p99 and max.
 * <p>
 * Arguments: calls per thread (default 2000), pause between a thread's calls in ms (default 5).
 */
public final class AuditDurabilityMeasurement {

	private AuditDurabilityMeasurement() {
	}

	public static void main(String[] args) throws Exception {
		int calls = (args.length > 0) ? Integer.parseInt(args[0]) : 2000;
		long pauseMillis = (args.length > 1) ? Long.parseLong(args[1]) : 5;
		String server = PostgresJdbcAuditStoreTests.POSTGRES;
		String schema = "mcpg_measure_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(server, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + schema);
		}
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(server + "?currentSchema=" + schema + "&reWriteBatchedInserts=true");
			dataSource.setUsername("postgres");
			new GovernanceSchemaMigrator(dataSource).afterPropertiesSet();
			for (AuditDurability durability : List.of(AuditDurability.DEFAULT, AuditDurability.STRICT,
					AuditDurability.DEFAULT, AuditDurability.STRICT)) {
				measure(dataSource, durability, calls, pauseMillis);
			}
		}
		finally {
			try (Connection connection = DriverManager.getConnection(server, "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	private static void measure(HikariDataSource dataSource, AuditDurability durability, int calls, long pauseMillis)
			throws Exception {
		Path journal = Files.createTempDirectory("audit-measure");
		AuditPipeline pipeline = new AuditPipeline(new JdbcAuditWriter(dataSource), 10_000, 500, Duration.ofMillis(200),
				Duration.ofSeconds(5), journal, Duration.ofSeconds(30), new AuditPipeline.Settings(durability,
						Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1)));
		pipeline.start();
		int threads = 8;
		List<Long> answer = Collections.synchronizedList(new ArrayList<>());
		List<Long> window = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch done = new CountDownLatch(threads);
		long started = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			boolean probe = t == 0;
			new Thread(() -> {
				for (int i = 0; i < calls; i++) {
					long before = System.nanoTime();
					long seq = pipeline.submit(AuditCrashProcess.record(UUID.randomUUID().toString()));
					long answered = System.nanoTime();
					answer.add(answered - before);
					if (probe) {
						// One thread of eight also waits, after its answer, for the record to reach the disk.
						while (pipeline.settledThrough() < seq) {
							// Not a busy spin: on a small machine it would take the CPU the journal thread needs.
							LockSupport.parkNanos(20_000);
						}
						window.add(System.nanoTime() - answered);
					}
					sleep(pauseMillis);
				}
				done.countDown();
			}).start();
		}
		done.await();
		double seconds = (System.nanoTime() - started) / 1e9;
		pipeline.stop();
		System.out.printf("%-7s %6d calls in %5.1f s (%5.0f/s) | answer waits p50 %7.3f ms p99 %7.3f ms max %7.3f ms"
				+ " | answer to journal p50 %7.3f ms p99 %7.3f ms max %7.3f ms | longest lag %d ms%n",
				durability.name().toLowerCase(), answer.size(), seconds, answer.size() / seconds, pct(answer, 50),
				pct(answer, 99), pct(answer, 100), pct(window, 50), pct(window, 99), pct(window, 100),
				pipeline.longestJournalLag().toMillis());
	}

	private static double pct(List<Long> nanos, int percentile) {
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		if (sorted.isEmpty()) {
			return 0;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
