package dev.mcpgovernance.audit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The process {@link PostgresAuditCrashTests} kills: an audit pipeline on PostgreSQL through a
 * pool with the default 30 s connection timeout, recording calls from four threads at about 200 a
 * second and printing {@code A <request id> <epoch micros>} for each call once {@link AuditPipeline#submit} has
 * returned, that is once the call would be answered. It runs until it is killed.
 * <p>
 * Arguments: JDBC URL, journal directory, durability ({@code default} or {@code strict}), run id.
 */
public final class AuditCrashProcess {

	private AuditCrashProcess() {
	}

	static AuditRecord record(String requestId) {
		return new AuditRecord(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MICROS), requestId,
				"key-alice", "alice", "Owner alice", null, "http", "orders", "get_order", "order", "read", "ok", null,
				null, false, 1234, "{\"type\":\"object\",\"fields\":1}", null, null, null, 0, null, null);
	}

	static long epochMicros(Instant at) {
		return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
	}

	public static void main(String[] args) throws Exception {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(args[0]);
		dataSource.setUsername("postgres");
		dataSource.setMaximumPoolSize(2);
		AuditPipeline pipeline = new AuditPipeline(new JdbcAuditWriter(dataSource), 10_000, 500,
				Duration.ofMillis(200), Duration.ofSeconds(1), Path.of(args[1]), Duration.ofSeconds(5),
				new AuditPipeline.Settings(AuditDurability.valueOf(args[2].toUpperCase()), Duration.ofSeconds(5),
						Duration.ofSeconds(1), Duration.ofSeconds(1)));
		pipeline.start();
		PrintStream out = new PrintStream(System.out, false);
		AtomicLong calls = new AtomicLong();
		for (int t = 0; t < 4; t++) {
			Thread caller = new Thread(() -> {
				while (true) {
					String requestId = args[3] + "-" + calls.incrementAndGet();
					pipeline.submit(record(requestId));
					synchronized (out) {
						out.println("A " + requestId + " " + AuditCrashProcess.epochMicros(Instant.now()));
						out.flush();
					}
					try {
						Thread.sleep(20);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			caller.start();
		}
		out.println("STARTED");
		out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
