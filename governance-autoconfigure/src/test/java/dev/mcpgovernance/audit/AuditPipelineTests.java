package dev.mcpgovernance.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
		await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.spilled() > 0 && pipeline.failures() > 0);
		assertThat(journalText()).contains(pipeline.streamId());
		this.store.down = false;
		await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 120 && pipeline.journalBacklogBytes() == 0);
		pipeline.stop();
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
	void callersSpillingPastAFullQueueWhileTheWriterChainsLeaveOneUnbrokenChain() throws Exception {
		// The writer thread chains what it takes from the queue while callers that find the queue
		// full chain and journal on their own threads: both draw from the one chain.
		AuditPipeline pipeline = pipeline(3);
		pipeline.start();
		ExecutorService callers = Executors.newFixedThreadPool(8);
		for (int i = 0; i < 8; i++) {
			callers.submit(() -> submit(pipeline, 200));
		}
		callers.shutdown();
		assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(20)).until(() -> rows() == 1600 && pipeline.journalBacklogBytes() == 0);
		pipeline.stop();
		assertThat(pipeline.spilled()).as("some callers found the queue full").isPositive();
		assertThat(this.jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).isEqualTo(LongStream.rangeClosed(1, 1600).boxed().toList());
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
