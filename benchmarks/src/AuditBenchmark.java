import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgovernance.audit.AuditChain;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.audit.AuditRecord;
import dev.mcpgovernance.audit.JdbcAuditWriter;
import dev.mcpgovernance.storage.GovernanceSchemaMigrator;

/**
 * Sustained audit rows per second into PostgreSQL: the JdbcAuditWriter alone (batches of 500, the
 * background writer's loop) with and without reWriteBatchedInserts, and the whole pipeline fed by
 * producer threads. Works in a schema of its own (mcpg_bench_<random>), dropped at the end.
 * Usage: AuditBenchmark <jdbc:postgresql://host:port/db> <user> <seconds> <producers>
 */
public class AuditBenchmark {

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String user = args[1];
		int seconds = Integer.parseInt(args[2]);
		int producers = Integer.parseInt(args[3]);
		String schema = "mcpg_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			connection.createStatement().execute("CREATE SCHEMA " + schema);
		}
		try {
			for (boolean rewrite : new boolean[] { false, true }) {
				try (HikariDataSource dataSource = dataSource(url, user, schema, rewrite)) {
					new GovernanceSchemaMigrator(dataSource).afterPropertiesSet();
					writerOnly(dataSource, Math.max(2, seconds / 3), 1);
					System.out.printf("writer only, reWriteBatchedInserts=%s: %,.0f rows/s%n", rewrite,
							writerOnly(dataSource, seconds, 500));
				}
			}
			try (HikariDataSource dataSource = dataSource(url, user, schema, true)) {
				System.out.printf("pipeline, %d producers, reWriteBatchedInserts=true: %,.0f rows/s%n", producers,
						pipeline(dataSource, seconds, producers));
			}
		}
		finally {
			try (Connection connection = DriverManager.getConnection(url, user, "")) {
				connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	private static HikariDataSource dataSource(String url, String user, String schema, boolean rewrite) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url + "?currentSchema=" + schema + "&reWriteBatchedInserts=" + rewrite);
		dataSource.setUsername(user);
		dataSource.setMaximumPoolSize(2);
		return dataSource;
	}

	/** Rows per second written by one thread in batches of 500, as the background writer does. */
	private static double writerOnly(HikariDataSource dataSource, int seconds, int minimumBatches) {
		JdbcAuditWriter writer = new JdbcAuditWriter(dataSource);
		AuditChain chain = new AuditChain();
		long rows = 0;
		long start = System.nanoTime();
		long end = start + Duration.ofSeconds(seconds).toNanos();
		int batches = 0;
		while (System.nanoTime() < end || batches < minimumBatches) {
			List<AuditRecord> batch = new ArrayList<>(500);
			for (int i = 0; i < 500; i++) {
				batch.add(chain.append(record()));
			}
			writer.write(batch);
			rows += batch.size();
			batches++;
		}
		return rows / ((System.nanoTime() - start) / 1e9);
	}

	/** Rows per second stored while producers submit as fast as the queue takes them. */
	private static double pipeline(HikariDataSource dataSource, int seconds, int producers) throws Exception {
		Path journal = Files.createTempDirectory("mcpg-bench-journal");
		AuditPipeline pipeline = new AuditPipeline(new JdbcAuditWriter(dataSource), 10_000, 500, Duration.ofMillis(200),
				Duration.ofSeconds(1), journal, Duration.ofSeconds(30));
		pipeline.start();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			Thread thread = new Thread(() -> {
				while (running.get()) {
					// Keep the queue from filling, so the rate measured is the store's, not the journal's.
					if (pipeline.queueDepth() < 8_000) {
						pipeline.submit(record());
					}
					else {
						Thread.onSpinWait();
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		Thread.sleep(2_000);
		long before = pipeline.written();
		long start = System.nanoTime();
		Thread.sleep(seconds * 1_000L);
		long rows = pipeline.written() - before;
		double elapsed = (System.nanoTime() - start) / 1e9;
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		pipeline.stop();
		if (pipeline.spilled() > 0) {
			System.out.println("(" + pipeline.spilled() + " records went through the journal)");
		}
		return rows / elapsed;
	}

	private static AuditRecord record() {
		return new AuditRecord(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MICROS),
				UUID.randomUUID().toString(), "key_bench", "owner-bench", "Bench Owner", null, "http", "orders",
				"get_order", "order", "read", "ok", null, "orders-db", false, 850,
				"{\"type\":\"object\",\"fields\":1,\"children\":[{\"type\":\"string\",\"length\":8}]}", null, 0, null,
				null);
	}

}
