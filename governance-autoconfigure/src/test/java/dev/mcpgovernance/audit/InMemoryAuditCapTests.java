package dev.mcpgovernance.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default is bounded: an audit table in an in-memory H2 keeps the newest rows up to the
 * cap, as unbroken stream tails, and start-up says so and how to keep the trail; an H2 on disk is
 * never capped.
 */
@ExtendWith(OutputCaptureExtension.class)
class InMemoryAuditCapTests {

	@TempDir
	Path directory;

	@Test
	void anInMemoryTrailKeepsTheNewestRowsUpToTheCapAndSaysHowToKeepIt(CapturedOutput output) {
		DataSource dataSource = migrated("jdbc:h2:mem:cap_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		JdbcAuditWriter writer = new JdbcAuditWriter(dataSource);
		Instant now = Instant.now();
		AuditChain older = new AuditChain();
		writer.write(AbstractJdbcAuditStoreTests.chained(older, 40, now.minusSeconds(60)));
		AuditChain newer = new AuditChain();
		writer.write(AbstractJdbcAuditStoreTests.chained(newer, 30, now));
		try (InMemoryAuditCap cap = new InMemoryAuditCap(dataSource, 50, 7, Duration.ofMillis(100))) {
			cap.start();
			assertThat(output).contains("The audit trail is kept in an in-memory database")
				.contains("mcp.governance.audit.in-memory-max-rows")
				.contains("jdbc:h2:file:");
			await().atMost(Duration.ofSeconds(5)).until(() -> rows(dataSource) == 50);
		}
		JdbcClient jdbc = JdbcClient.create(dataSource);
		assertThat(jdbc.sql("SELECT stream_seq FROM mcp_governance_audit WHERE stream_id = ? ORDER BY stream_seq")
			.param(older.streamId())
			.query(Long.class)
			.list()).as("the oldest rows of the oldest stream went").first().isEqualTo(21L);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM mcp_governance_audit WHERE stream_id = ?")
			.param(newer.streamId())
			.query(Long.class)
			.single()).isEqualTo(30);
		assertThat(new AuditChainVerifier(dataSource).verify().intact()).isTrue();
	}

	@Test
	void aStreamWithGapsLosesOnlyItsOldestRowsAndNoMoreThanTheExcess() {
		DataSource dataSource = migrated("jdbc:h2:mem:cap_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		AuditChain chain = new AuditChain();
		new JdbcAuditWriter(dataSource).write(AbstractJdbcAuditStoreTests.chained(chain, 40, Instant.now()));
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// Dropped records keep their positions: the stream has gaps where the cap counts rows.
		jdbc.sql("DELETE FROM mcp_governance_audit WHERE stream_seq IN (2, 3, 9, 15)").update();
		try (InMemoryAuditCap cap = new InMemoryAuditCap(dataSource, 20, 5, Duration.ofHours(1))) {
			assertThat(cap.cap()).isEqualTo(16);
		}
		assertThat(jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).containsExactlyElementsOf(LongStream.rangeClosed(21, 40).boxed().toList());
	}

	@Test
	void eachBatchFindsTheStreamsLowestPositionInOneIndexEntryNotByReadingTheStream() {
		DataSource dataSource = migrated("jdbc:h2:mem:cap_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		AuditChain chain = new AuditChain();
		new JdbcAuditWriter(dataSource).write(AbstractJdbcAuditStoreTests.chained(chain, 2_000, Instant.now()));
		String plan = JdbcClient.create(dataSource)
			.sql("EXPLAIN ANALYZE " + StreamTails.LOWEST_POSITION)
			.param(chain.streamId())
			.query(String.class)
			.single();
		// MIN(stream_seq) read all 2,000 rows here, once per deleted batch: a third of the cap's CPU.
		assertThat(plan).contains("scanCount: 1 ").contains("index sorted");
		assertThat(JdbcClient.create(dataSource).sql(StreamTails.LOWEST_POSITION).param(chain.streamId())
			.query(Long.class).single()).isEqualTo(1L);
	}

	@Test
	void anInMemoryTrailDropsTheIndexesNoWriteNeedsAndIsStillQueriedByOwnerToolAndTime() {
		DataSource dataSource = migrated("jdbc:h2:mem:cap_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		AuditChain chain = new AuditChain();
		Instant now = Instant.now();
		JdbcAuditWriter writer = new JdbcAuditWriter(dataSource);
		writer.write(List.of(chain.append(AbstractJdbcAuditStoreTests.record("alice", "get_order", "ok", now)),
				chain.append(AbstractJdbcAuditStoreTests.record("bob", "cancel_order", "ok", now.plusSeconds(1))),
				chain.append(AbstractJdbcAuditStoreTests.record("alice", "cancel_order", "ok", now.plusSeconds(2)))));
		assertThat(indexes(dataSource)).containsAll(InMemoryAuditCap.SECONDARY_INDEXES);
		try (InMemoryAuditCap cap = new InMemoryAuditCap(dataSource, 50, 7, Duration.ofMillis(50))) {
			cap.start();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> indexes(dataSource).stream().noneMatch(InMemoryAuditCap.SECONDARY_INDEXES::contains));
		}
		assertThat(indexes(dataSource)).as("the stream position stays").hasSize(1);
		writer.write(List.of(chain.append(AbstractJdbcAuditStoreTests.record("alice", "get_order", "ok", now.plusSeconds(3)))));
		AuditQueryService queries = new AuditQueryService(JdbcClient.create(dataSource));
		assertThat(queries.find(new AuditQuery("alice", "cancel_order", null, null, null, 0, 10)).records())
			.extracting(AuditRecord::tool, AuditRecord::ownerId)
			.containsExactly(tuple("cancel_order", "alice"));
		assertThat(queries.find(new AuditQuery("alice", null, null, now.plusSeconds(1), null, 0, 10)).records())
			.hasSize(2);
		assertThat(new AuditChainVerifier(dataSource).verify().intact()).isTrue();
	}

	/**
	 * Without the primary key, a record written again (a journal written back after a failed write)
	 * is still stored once: the unique stream position refuses it, and the writer's second try by id
	 * finds it stored. A second cap on the same named database (another application context) finds
	 * the key gone and still caps.
	 */
	@Test
	void anInMemoryTrailWithoutItsPrimaryKeyStoresARecordWrittenTwiceOnce() {
		String url = "jdbc:h2:mem:cap_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		DataSource dataSource = migrated(url);
		JdbcAuditWriter writer = new JdbcAuditWriter(dataSource);
		List<AuditRecord> first = AbstractJdbcAuditStoreTests.chained(new AuditChain(), 5, Instant.now());
		writer.write(first);
		try (InMemoryAuditCap cap = new InMemoryAuditCap(dataSource, 50, 7, Duration.ofMillis(50))) {
			cap.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> primaryKeys(dataSource) == 0);
		}
		List<AuditRecord> more = AbstractJdbcAuditStoreTests.chained(new AuditChain(), 3, Instant.now());
		List<AuditRecord> again = new ArrayList<>(first.subList(2, 5));
		again.addAll(more);
		writer.write(again);
		writer.write(first);
		assertThat(rows(dataSource)).isEqualTo(8);
		assertThat(JdbcClient.create(dataSource)
			.sql("SELECT COUNT(DISTINCT id) FROM mcp_governance_audit")
			.query(Long.class)
			.single()).isEqualTo(8);
		assertThat(new AuditChainVerifier(dataSource).verify().intact()).isTrue();

		DataSource sameDatabase = migrated(url);
		writer.write(AbstractJdbcAuditStoreTests.chained(new AuditChain(), 20, Instant.now()));
		try (InMemoryAuditCap cap = new InMemoryAuditCap(sameDatabase, 10, 7, Duration.ofMillis(50))) {
			cap.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> rows(sameDatabase) == 10);
		}
	}

	@Test
	void aTrailOnDiskIsNotCapped(CapturedOutput output) {
		DataSource dataSource = migrated("jdbc:h2:file:" + this.directory.resolve("audit"));
		new JdbcAuditWriter(dataSource).write(AbstractJdbcAuditStoreTests.chained(new AuditChain(), 30, Instant.now()));
		try (InMemoryAuditCap cap = new InMemoryAuditCap(dataSource, 10, 7, Duration.ofMillis(50))) {
			cap.start();
			assertThat(cap.inMemory()).isFalse();
		}
		assertThat(rows(dataSource)).isEqualTo(30);
		assertThat(indexes(dataSource)).containsAll(InMemoryAuditCap.SECONDARY_INDEXES);
		assertThat(primaryKeys(dataSource)).isEqualTo(1);
		assertThat(output).doesNotContain("in-memory database");
	}

	private static DataSource migrated(String url) {
		DataSource dataSource = new DriverManagerDataSource(url);
		new GovernanceSchemaMigrator(dataSource).afterPropertiesSet();
		return dataSource;
	}

	private static List<String> indexes(DataSource dataSource) {
		return JdbcClient.create(dataSource)
			.sql("SELECT LOWER(INDEX_NAME) FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'MCP_GOVERNANCE_AUDIT'")
			.query(String.class)
			.list();
	}

	private static long primaryKeys(DataSource dataSource) {
		return JdbcClient.create(dataSource)
			.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = 'MCP_GOVERNANCE_AUDIT' AND CONSTRAINT_TYPE = 'PRIMARY KEY'")
			.query(Long.class)
			.single();
	}

	private static long rows(DataSource dataSource) {
		return JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM mcp_governance_audit").query(Long.class).single();
	}

}
