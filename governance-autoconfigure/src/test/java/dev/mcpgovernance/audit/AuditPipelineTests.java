package dev.mcpgovernance.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline against embedded H2, with a switch in front of the JDBC writer that makes the store
 * refuse writes for a while: records are journaled, written back in order and once, a journal left
 * by a stopped process is written back by the next, and stopping flushes.
 */
class AuditPipelineTests {

	@TempDir
	Path journal;

	private final DataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:pipeline_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	private final JdbcClient jdbc = JdbcClient.create(this.dataSource);

	private final Switchable store = new Switchable(new JdbcAuditWriter(this.dataSource));

	AuditPipelineTests() {
		new GovernanceSchemaMigrator(this.dataSource).afterPropertiesSet();
	}

	private AuditPipeline pipeline(int capacity) {
		return new AuditPipeline(this.store, capacity, 10, Duration.ofMillis(20), Duration.ofMillis(50), this.journal,
				Duration.ofSeconds(10));
	}

	@Test
	void recordsKeptWhileTheStoreIsDownArriveOnceAndInSequence() throws Exception {
		AuditPipeline pipeline = pipeline(5);
		pipeline.start();
		submit(pipeline, 20);
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 20);
		this.store.down = true;
		submit(pipeline, 100);
		await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.failures() > 0 && pipeline.journaled() == 120);
		assertThat(pipeline.storeUnavailable()).isTrue();
		assertThat(pipeline.journalBacklogBytes()).isPositive();
		assertThat(journalText()).contains(pipeline.streamId());
		this.store.down = false;
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 120 && pipeline.journalBacklogBytes() == 0);
		pipeline.stop();
		assertThat(pipeline.spilled()).as("written back from the journal file").isPositive();
		assertThat(this.jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).hasSize(120).isSorted().first().isEqualTo(1L);
		assertThat(this.store.writtenSeqs).doesNotHaveDuplicates();
		assertThat(new AuditChainVerifier(this.dataSource).verify().intact()).isTrue();
		assertThat(pipeline.lost()).isZero();
	}

	@Test
	void aJournalLeftByAStoppedProcessIsWrittenBackByTheNext() throws Exception {
		this.store.down = true;
		AuditPipeline first = pipeline(100);
		first.start();
		submit(first, 30);
		first.stop();
		assertThat(rows()).isZero();
		try (Stream<Path> files = Files.list(this.journal)) {
			assertThat(files.toList()).singleElement()
				.satisfies((file) -> assertThat(Files.size(file)).isPositive());
		}

		this.store.down = false;
		AuditPipeline second = pipeline(100);
		second.start();
		submit(second, 5);
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 35);
		second.stop();
		assertThat(this.jdbc.sql("SELECT count(DISTINCT stream_id) FROM mcp_governance_audit").query(Long.class).single())
			.isEqualTo(2);
		// The earlier run's records were written before the later run's.
		assertThat(this.store.writtenStreams.get(0)).isEqualTo(first.streamId());
		assertThat(this.store.writtenStreams.get(this.store.writtenStreams.size() - 1)).isEqualTo(second.streamId());
		assertThat(new AuditChainVerifier(this.dataSource).verify().intact()).isTrue();
		try (Stream<Path> files = Files.list(this.journal)) {
			assertThat(files.toList()).isEmpty();
		}
	}

	@Test
	void callersPastAFullQueueWaitForRoomAndLeaveOneUnbrokenChain() throws Exception {
		// Positions are taken on the callers' threads, in queue order; the journal thread chains them.
		AuditPipeline pipeline = pipeline(3);
		pipeline.start();
		ExecutorService callers = Executors.newFixedThreadPool(8);
		for (int i = 0; i < 8; i++) {
			callers.submit(() -> submit(pipeline, 200));
		}
		callers.shutdown();
		// Generous bounds: a queue of three means hundreds of fsync'd group commits, slow on a loaded
		// machine; what is asserted is that every record arrives, in one chain, not how fast.
		assertThat(callers.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(90)).until(() -> rows() == 1600 && pipeline.journalBacklogBytes() == 0);
		pipeline.stop();
		assertThat(this.jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).isEqualTo(LongStream.rangeClosed(1, 1600).boxed().toList());
		assertThat(new AuditChainVerifier(this.dataSource).verify().intact()).isTrue();
		assertThat(pipeline.lost()).isZero();
	}

	@Test
	void aRecordDroppedForWantOfRoomLeavesAGapThatVerificationReports() {
		// Not started: nothing takes from the queue of two, so the third record finds no room.
		AuditPipeline pipeline = new AuditPipeline(this.store, 2, 10, Duration.ofMillis(20), Duration.ofMillis(50),
				this.journal, Duration.ofSeconds(10), new AuditPipeline.Settings(AuditDurability.DEFAULT,
						Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(50)));
		submit(pipeline, 3);
		assertThat(pipeline.lost()).isOne();
		pipeline.start();
		submit(pipeline, 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 4);
		pipeline.stop();
		AuditChainVerifier verifier = new AuditChainVerifier(this.dataSource);
		AuditChainVerifier.Verification verification = verifier.verify();
		assertThat(verification.gaps()).isOne();
		assertThat(verification.missingRows()).isOne();
		assertThat(verification.breaks()).singleElement()
			.satisfies((broken) -> assertThat(broken.problem()).isEqualTo(AuditChainVerifier.Problem.ROWS_MISSING))
			.satisfies((broken) -> assertThat(broken.detail()).contains("rows 3 to 3"));
		assertThat(verifier.missingRows()).isOne();
	}

	@Test
	void recordsAreBuiltOnThePipelinesThreadAndOneThatFailsToBuildIsALostGap() {
		AuditPipeline pipeline = pipeline(100);
		pipeline.start();
		List<Thread> builders = new CopyOnWriteArrayList<>();
		pipeline.submit(() -> {
			builders.add(Thread.currentThread());
			return AbstractJdbcAuditStoreTests.record("alice", "get_order", "ok", Instant.now());
		});
		pipeline.submit(() -> {
			throw new IllegalStateException("a redactor that fails");
		});
		submit(pipeline, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 2);
		pipeline.stop();
		assertThat(builders).singleElement().isNotSameAs(Thread.currentThread());
		assertThat(pipeline.lost()).isOne();
		AuditChainVerifier.Verification verification = new AuditChainVerifier(this.dataSource).verify();
		assertThat(verification.gaps()).isOne();
		assertThat(verification.breaks()).singleElement()
			.satisfies((broken) -> assertThat(broken.detail()).contains("rows 2 to 2"));
	}

	@Test
	void healthShowsAnUnavailableStoreAndMissingRows() {
		AuditPipeline pipeline = pipeline(100);
		AuditHealthIndicator health = new AuditHealthIndicator(pipeline, new AuditChainVerifier(this.dataSource));
		pipeline.start();
		submit(pipeline, 10);
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 10);
		assertThat(health.health().getDetails()).containsEntry("missingRows", 0L).containsEntry("storeAvailable", true);
		this.store.down = true;
		submit(pipeline, 1);
		await().atMost(Duration.ofSeconds(5)).until(pipeline::storeUnavailable);
		assertThat(health.health().getDetails()).containsEntry("storeAvailable", false)
			.containsEntry("durability", "default")
			.containsEntry("journaled", 11L)
			.containsKey("lastFailureType")
			.containsEntry("warning", "The audit store is unavailable; records wait in the journal until it answers");
		this.store.down = false;
		await().atMost(Duration.ofSeconds(5)).until(() -> rows() == 11 && !pipeline.storeUnavailable());
		pipeline.stop();
		this.jdbc.sql("DELETE FROM mcp_governance_audit WHERE stream_seq IN (4, 5)").update();
		// A new indicator: the count is reused for a minute.
		assertThat(new AuditHealthIndicator(pipeline, new AuditChainVerifier(this.dataSource)).health().getDetails())
			.containsEntry("missingRows", 2L)
			.containsEntry("storeAvailable", true)
			.containsEntry("warning", "Audit streams have gaps: rows were deleted or lost (see the chain verification)");
	}

	@Test
	void aStoreThatHangsDoesNotKeepRecordsFromTheJournal() throws Exception {
		// A pool waiting 30 s for a connection: the journal thread never waits on it.
		Hanging hanging = new Hanging();
		AuditPipeline pipeline = new AuditPipeline(hanging, 1000, 10, Duration.ofMillis(20), Duration.ofMillis(50),
				this.journal, Duration.ofMillis(500), new AuditPipeline.Settings(AuditDurability.DEFAULT,
						Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(1)));
		pipeline.start();
		submit(pipeline, 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> hanging.entered);
		long started = System.nanoTime();
		submit(pipeline, 50);
		await().atMost(Duration.ofSeconds(1)).until(() -> pipeline.journaled() == 51);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
		await().atMost(Duration.ofSeconds(2)).until(pipeline::storeUnavailable);
		pipeline.stop();
		assertThat(journalText().lines().count()).isEqualTo(51);
		hanging.release();
	}

	@Test
	void strictDurabilityReturnsOnlyOnceTheRecordIsInTheJournal() throws Exception {
		this.store.down = true;
		AuditPipeline pipeline = new AuditPipeline(this.store, 1000, 10, Duration.ofMillis(20), Duration.ofMillis(50),
				this.journal, Duration.ofSeconds(10), new AuditPipeline.Settings(AuditDurability.STRICT,
						Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1)));
		pipeline.start();
		for (int i = 1; i <= 20; i++) {
			submit(pipeline, 1);
			assertThat(journalText().lines().count()).isEqualTo(i);
		}
		assertThat(pipeline.strictTimeouts()).isZero();
		this.store.down = false;
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 20);
		pipeline.stop();
	}

	@Test
	void onceAnOutageIsWrittenBackTheStoreTakesNewRecordsFromMemoryAgain() throws Exception {
		// A store that takes 2 ms a write, and calls that never stop: the outage's records and those
		// journaled while they are written back come from the journal file, and later ones from memory
		// again. (The store thread used to take one stale hand-off per write after an outage, fell ever
		// further behind and read every later record back from the file.)
		AuditWriter slow = (records) -> {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
			this.store.write(records);
		};
		AuditPipeline pipeline = new AuditPipeline(slow, 10_000, 10, Duration.ofMillis(20), Duration.ofMillis(20),
				this.journal, Duration.ofSeconds(10));
		pipeline.start();
		AtomicBoolean calling = new AtomicBoolean(true);
		AtomicLong submitted = new AtomicLong();
		Thread calls = new Thread(() -> {
			while (calling.get()) {
				submit(pipeline, 1);
				submitted.incrementAndGet();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		});
		calls.start();
		Thread.sleep(300);
		this.store.down = true;
		Thread.sleep(300);
		this.store.down = false;
		await().atMost(Duration.ofSeconds(10)).until(() -> !pipeline.storeUnavailable());
		long spilledByTheOutage = pipeline.spilled();
		Thread.sleep(2000);
		calling.set(false);
		calls.join();
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == submitted.get());
		pipeline.stop();
		long journaled = pipeline.journaled();

		assertThat(spilledByTheOutage).as("the outage's records came from the journal file").isPositive();
		assertThat(pipeline.spilled()).as("records read back from the file, of %s", journaled)
			.isLessThan(journaled / 2);
		assertThat(this.store.writtenSeqs).doesNotHaveDuplicates();
		assertThat(new AuditChainVerifier(this.dataSource).verify().intact()).isTrue();
		assertThat(pipeline.lost()).isZero();
	}

	@Test
	void stoppingWritesEverythingStillQueued() {
		AuditPipeline pipeline = new AuditPipeline(this.store, 1000, 10, Duration.ofHours(1), Duration.ofMillis(50),
				this.journal, Duration.ofSeconds(10));
		pipeline.start();
		submit(pipeline, 250);
		pipeline.stop();
		assertThat(rows()).isEqualTo(250);
	}

	private static void submit(AuditPipeline pipeline, int count) {
		for (int i = 0; i < count; i++) {
			pipeline.submit(AbstractJdbcAuditStoreTests.record("alice", "get_order", "ok", Instant.now()));
		}
	}

	private long rows() {
		return this.jdbc.sql("SELECT count(*) FROM mcp_governance_audit").query(Long.class).single();
	}

	private String journalText() throws Exception {
		StringBuilder text = new StringBuilder();
		try (Stream<Path> files = Files.list(this.journal)) {
			for (Path file : files.toList()) {
				text.append(Files.readString(file));
			}
		}
		return text.toString();
	}

	/** A store whose writes do not return until released. */
	static final class Hanging implements AuditWriter {

		private final CountDownLatch latch = new CountDownLatch(1);

		volatile boolean entered;

		@Override
		public void write(List<AuditRecord> records) {
			this.entered = true;
			try {
				this.latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void release() {
			this.latch.countDown();
		}

	}

	/** The real JDBC writer, refusing while {@code down}, as a store that is unreachable would. */
	static final class Switchable implements AuditWriter {

		private final AuditWriter target;

		volatile boolean down;

		final List<String> writtenSeqs = new CopyOnWriteArrayList<>();

		final List<String> writtenStreams = new CopyOnWriteArrayList<>();

		Switchable(AuditWriter target) {
			this.target = target;
		}

		@Override
		public void write(List<AuditRecord> records) {
			if (this.down) {
				throw new AuditWriteException("store down");
			}
			this.target.write(records);
			records.forEach((record) -> {
				this.writtenSeqs.add(record.streamId() + "#" + record.streamSeq());
				this.writtenStreams.add(record.streamId());
			});
		}

	}

}
