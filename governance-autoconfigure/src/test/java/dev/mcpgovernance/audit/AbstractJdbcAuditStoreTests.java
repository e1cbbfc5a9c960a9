package dev.mcpgovernance.audit;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mcpgovernance.audit.AuditChainVerifier.Break;
import dev.mcpgovernance.audit.AuditChainVerifier.Problem;
import dev.mcpgovernance.audit.AuditChainVerifier.Verification;
import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The JDBC side of the audit trail against the real databases: embedded H2 and the shared
 * PostgreSQL (a schema of its own, dropped afterwards). Writes are idempotent, the verifier names
 * edited and deleted rows, retention deletes only old rows in batches and leaves chains intact, and
 * queries page and filter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcAuditStoreTests {

	DataSource dataSource;

	JdbcClient jdbc;

	JdbcAuditWriter writer;

	abstract DataSource createDataSource() throws SQLException;

	@BeforeEach
	void setUp() throws SQLException {
		if (this.dataSource == null) {
			this.dataSource = createDataSource();
			new GovernanceSchemaMigrator(this.dataSource).afterPropertiesSet();
			this.jdbc = JdbcClient.create(this.dataSource);
			this.writer = new JdbcAuditWriter(this.dataSource);
		}
		this.jdbc.sql("DELETE FROM mcp_governance_audit").update();
	}

	@Test
	void aRecordWrittenTwiceIsStoredOnce() {
		List<AuditRecord> records = chained(new AuditChain(), 5, Instant.now());
		this.writer.write(records);
		this.writer.write(records.subList(2, 5));
		assertThat(count()).isEqualTo(5);
		assertThat(this.jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).containsExactly(1L, 2L, 3L, 4L, 5L);
	}

	@Test
	void aBatchPartlyStoredAlreadyStoresTheRestOnce() {
		List<AuditRecord> records = chained(new AuditChain(), 6, Instant.now());
		this.writer.write(records.subList(0, 3));
		this.writer.write(records.subList(1, 6));
		this.writer.write(records.subList(4, 6));
		assertThat(this.jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(new AuditChainVerifier(this.dataSource).verify().intact()).isTrue();
	}

	@Test
	void verifierNamesAnEditedRowAndADeletedOne() {
		AuditChain chain = new AuditChain();
		List<AuditRecord> records = chained(chain, 10, Instant.now());
		this.writer.write(records);
		this.writer.write(chained(new AuditChain(), 3, Instant.now()));
		AuditChainVerifier verifier = new AuditChainVerifier(this.dataSource);
		assertThat(verifier.verify().intact()).isTrue();

		this.jdbc.sql("UPDATE mcp_governance_audit SET outcome = 'ok', error_code = NULL WHERE id = ?")
			.param(records.get(3).id())
			.update();
		this.jdbc.sql("DELETE FROM mcp_governance_audit WHERE id = ?").param(records.get(6).id()).update();

		Verification result = verifier.verify();
		assertThat(result.streams()).isEqualTo(2);
		assertThat(result.rows()).isEqualTo(12);
		assertThat(result.breaks()).extracting(Break::streamId).containsOnly(chain.streamId());
		assertThat(result.breaks()).extracting(Break::recordId, Break::streamSeq, Break::problem)
			.containsExactly(tuple(records.get(3).id(), 4L, Problem.ROW_EDITED),
					tuple(records.get(7).id(), 8L, Problem.ROWS_MISSING));
		assertThat(result.breaks().get(1).detail()).contains("rows 7 to 7");
	}

	@Test
	void aRowReplacedWithAValidHashOfItsOwnStillBreaksTheChain() {
		AuditChain chain = new AuditChain();
		List<AuditRecord> records = chained(chain, 4, Instant.now());
		this.writer.write(records);
		// An attacker who knows the algorithm recomputes the edited row's hash, but not the next row's link.
		AuditRecord edited = records.get(1);
		AuditRecord forged = new AuditRecord(edited.id(), edited.occurredAt(), edited.requestId(), edited.keyId(),
				"someone-else", edited.ownerLabel(), edited.tenant(), edited.transport(), edited.domain(),
				edited.tool(), edited.resource(), edited.action(), edited.outcome(), edited.errorCode(),
				edited.dataSource(), edited.cacheHit(), edited.latencyMicros(), edited.argumentShape(),
				edited.traceId(), edited.spanId(),
				edited.streamId(), edited.streamSeq(), edited.prevHash(), null);
		String forgedHash = AuditChain.hash(forged);
		this.jdbc.sql("UPDATE mcp_governance_audit SET owner_id = 'someone-else', row_hash = ? WHERE id = ?")
			.params(forgedHash, edited.id())
			.update();
		assertThat(new AuditChainVerifier(this.dataSource).verify().breaks()).extracting(Break::streamSeq,
				Break::problem)
			.containsExactly(tuple(3L, Problem.CHAIN_MISMATCH));
	}

	@Test
	void retentionDeletesOnlyOldRowsInBatchesAndTheChainStaysVerifiable() {
		Instant now = Instant.now();
		AuditChain chain = new AuditChain();
		List<AuditRecord> records = new ArrayList<>(chained(chain, 25, now.minus(Duration.ofDays(100))));
		// A call that started before the cut-off but was recorded after a newer one: kept, to keep the tail unbroken.
		records.addAll(chained(chain, 2, now.minus(Duration.ofDays(1))));
		records.addAll(chained(chain, 1, now.minus(Duration.ofDays(95))));
		records.addAll(chained(chain, 2, now.minus(Duration.ofDays(1))));
		this.writer.write(records);
		this.writer.write(chained(new AuditChain(), 7, now.minus(Duration.ofDays(200))));

		AuditRetention retention = new AuditRetention(this.jdbc, Duration.ofDays(90), 10, Duration.ofHours(1),
				Clock.systemUTC());
		assertThat(retention.purge()).isEqualTo(25 + 7);
		assertThat(this.jdbc.sql("SELECT stream_seq FROM mcp_governance_audit ORDER BY stream_seq")
			.query(Long.class)
			.list()).containsExactly(26L, 27L, 28L, 29L, 30L);
		assertThat(new AuditChainVerifier(this.dataSource).verify().intact()).isTrue();
		assertThat(retention.purge()).isZero();
	}

	@Test
	void queriesPageAndFilterNewestFirst() {
		Instant base = Instant.parse("2025-03-01T10:00:00Z");
		AuditChain chain = new AuditChain();
		List<AuditRecord> records = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			records.add(chain.append(record((i % 2 == 0) ? "alice" : "bob", (i % 3 == 0) ? "cancel_order" : "get_order",
					(i % 4 == 0) ? "denied" : "ok", base.plusSeconds(i))));
		}
		this.writer.write(records);
		AuditQueryService queries = new AuditQueryService(this.jdbc);

		AuditQuery.Page first = queries.find(new AuditQuery("alice", null, null, null, null, 0, 4));
		assertThat(first.records()).extracting(AuditRecord::occurredAt)
			.containsExactly(base.plusSeconds(10), base.plusSeconds(8), base.plusSeconds(6), base.plusSeconds(4));
		assertThat(first.hasNext()).isTrue();
		AuditQuery.Page second = queries.find(new AuditQuery("alice", null, null, null, null, 1, 4));
		assertThat(second.records()).extracting(AuditRecord::occurredAt)
			.containsExactly(base.plusSeconds(2), base);
		assertThat(second.hasNext()).isFalse();

		assertThat(queries.find(new AuditQuery(null, "cancel_order", "denied", null, null, 0, 50)).records())
			.extracting(AuditRecord::occurredAt)
			.containsExactly(base.plusSeconds(0));
		assertThat(queries
			.find(new AuditQuery(null, null, null, base.plusSeconds(3), base.plusSeconds(6), 0, 50))
			.records()).extracting(AuditRecord::occurredAt)
			.containsExactly(base.plusSeconds(5), base.plusSeconds(4), base.plusSeconds(3));
		// Read back as written, so a stored row still verifies.
		assertThat(queries.find(new AuditQuery(null, null, null, null, null, 0, 50)).records())
			.allSatisfy((row) -> assertThat(AuditChain.hash(row)).isEqualTo(row.rowHash()));
	}

	private long count() {
		return this.jdbc.sql("SELECT count(*) FROM mcp_governance_audit").query(Long.class).single();
	}

	static List<AuditRecord> chained(AuditChain chain, int count, Instant at) {
		List<AuditRecord> records = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			records.add(chain.append(record("alice", "get_order", "denied", at)));
		}
		return records;
	}

	static AuditRecord record(String owner, String tool, String outcome, Instant at) {
		return new AuditRecord(UUID.randomUUID().toString(), at.truncatedTo(ChronoUnit.MICROS),
				UUID.randomUUID().toString(), "key-" + owner, owner, "Owner " + owner, null, "http", "orders", tool,
				"order", "read", outcome, "denied".equals(outcome) ? "forbidden" : null, null, false, 1234,
				"{\"type\":\"object\",\"fields\":1}", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
				null, 0, null, null);
	}

}
