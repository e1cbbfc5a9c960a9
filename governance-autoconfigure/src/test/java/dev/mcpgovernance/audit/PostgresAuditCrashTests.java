package dev.mcpgovernance.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.mcpgovernance.TcpProxy;
import dev.mcpgovernance.storage.GovernanceSchemaMigrator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JVM recording calls into the shared PostgreSQL (through a TCP proxy the test cuts for an
 * outage, behind a pool that waits 30 s for a connection) is killed with SIGKILL, then its journal
 * is written back by a new pipeline: in default durability only records answered in the last
 * moments before the kill are missing, in strict none; nothing is stored twice and every chain is
 * intact. Each run uses a schema of its own, dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAuditCrashTests {

	/**
	 * The loss window this test holds default durability to: records are on disk within milliseconds
	 * (docs/audit.md gives the measured window), but a loaded machine has stalled the journal thread
	 * for up to a second. Records held in memory until the pool gives up would be lost from the
	 * whole outage, which is longer.
	 */
	static final Duration WINDOW = Duration.ofSeconds(2);

	/** Longer than {@link #WINDOW}, so that losing the records of the outage fails the test. */
	static final Duration OUTAGE = Duration.ofSeconds(5);

	final String schema = "mcpg_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	TcpProxy proxy;

	DataSource dataSource;

	JdbcClient jdbc;

	@TempDir
	Path journals;

	@BeforeAll
	void setUp() throws Exception {
		try (Connection connection = DriverManager.getConnection(PostgresJdbcAuditStoreTests.POSTGRES, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + this.schema);
		}
		this.dataSource = new DriverManagerDataSource(PostgresJdbcAuditStoreTests.POSTGRES + "?currentSchema=" + this.schema,
				"postgres", "");
		new GovernanceSchemaMigrator(this.dataSource).afterPropertiesSet();
		this.jdbc = JdbcClient.create(this.dataSource);
		this.proxy = new TcpProxy(5432);
	}

	@AfterAll
	void tearDown() throws IOException, SQLException {
		this.proxy.close();
		try (Connection connection = DriverManager.getConnection(PostgresJdbcAuditStoreTests.POSTGRES, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA " + this.schema + " CASCADE");
		}
	}

	@ParameterizedTest(name = "{0} durability, killed {1}")
	@CsvSource({ "default, during an outage", "default, while the database is up", "strict, during an outage",
			"strict, while the database is up" })
	void aKilledProcessLosesAtMostTheWindowAndItsJournalIsWrittenBackOnce(String durability, String when)
			throws Exception {
		boolean outage = when.contains("outage");
		String run = durability + (outage ? "-outage-" : "-up-") + UUID.randomUUID().toString().substring(0, 8);
		Path journal = this.journals.resolve(run);
		Map<String, Long> answered = new ConcurrentHashMap<>();
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), AuditCrashProcess.class.getName(),
				"jdbc:postgresql://127.0.0.1:" + this.proxy.port() + "/test?currentSchema=" + this.schema
						+ "&reWriteBatchedInserts=true",
				journal.toString(), durability, run)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		Thread reader = new Thread(() -> read(process, answered));
		reader.start();
		long killedAt;
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> answered.size() >= 200);
			if (outage) {
				this.proxy.cut();
				Thread.sleep(OUTAGE.toMillis());
			}
			else {
				Thread.sleep(1000);
			}
		}
		finally {
			killedAt = AuditCrashProcess.epochMicros(Instant.now());
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
			reader.join(10_000);
			this.proxy.restore();
		}

		AuditPipeline restarted = new AuditPipeline(new JdbcAuditWriter(this.dataSource), 100, 500,
				Duration.ofMillis(50), Duration.ofMillis(200), journal, Duration.ofSeconds(10));
		restarted.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> restarted.journalBacklogBytes() == 0);
		restarted.stop();

		List<String> stored = this.jdbc.sql("SELECT request_id FROM mcp_governance_audit WHERE request_id LIKE ?")
			.param(run + "-%")
			.query(String.class)
			.list();
		assertThat(stored).as("no record stored twice").doesNotHaveDuplicates();
		Set<String> lost = new HashSet<>(answered.keySet());
		lost.removeAll(stored);
		long window = lost.stream().mapToLong((id) -> killedAt - answered.get(id)).max().orElse(0);
		System.out.printf("%s: %d answered, %d stored, %d answered but lost, oldest lost answered %d ms before the kill%n",
				run, answered.size(), stored.size(), lost.size(), window / 1000);
		if (durability.equals("strict")) {
			assertThat(lost).as("strict loses no answered call").isEmpty();
		}
		else {
			assertThat(Duration.ofNanos(window * 1000)).as("only calls answered just before the kill are lost")
				.isLessThanOrEqualTo(WINDOW);
		}
		String stream = this.jdbc.sql("SELECT DISTINCT stream_id FROM mcp_governance_audit WHERE request_id LIKE ?")
			.param(run + "-%")
			.query(String.class)
			.single();
		AuditChainVerifier verifier = new AuditChainVerifier(this.dataSource);
		assertThat(verifier.verify().breaks()).filteredOn((broken) -> broken.streamId().equals(stream)).isEmpty();

		// Rows deleted on purpose are not silent: the gap is reported with the positions.
		this.jdbc.sql("DELETE FROM mcp_governance_audit WHERE stream_id = ? AND stream_seq IN (100, 101)")
			.param(stream)
			.update();
		AuditChainVerifier.Verification verification = verifier.verify();
		assertThat(verification.breaks()).filteredOn((broken) -> broken.streamId().equals(stream))
			.singleElement()
			.satisfies((broken) -> assertThat(broken.problem()).isEqualTo(AuditChainVerifier.Problem.ROWS_MISSING))
			.satisfies((broken) -> assertThat(broken.detail()).isEqualTo("rows 100 to 101 of the stream are missing"));
		assertThat(verification.missingRows()).isGreaterThanOrEqualTo(2);
		assertThat(verifier.missingRows()).isEqualTo(verification.missingRows());
	}

	private static void read(Process process, Map<String, Long> answered) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				String[] parts = line.split(" ");
				if (parts.length == 3 && parts[0].equals("A")) {
					answered.put(parts[1], Long.parseLong(parts[2]));
				}
			}
		}
		catch (IOException ex) {
			// the process was killed
		}
	}

}
