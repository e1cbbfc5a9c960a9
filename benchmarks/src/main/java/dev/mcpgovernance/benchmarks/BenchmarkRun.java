package dev.mcpgovernance.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import org.springframework.boot.SpringBootVersion;

/**
 * The earlier harness ({@code scripts/benchmark in-jvm}), kept for comparison with older figures: the
 * bare and the governed server side by side in one JVM, driven by MCP Java SDK clients in the same
 * JVM, at 1, 8 and 64 callers, once per governed configuration; writes its own section of
 * docs/benchmarks.md. Its JMH for the hot paths now runs with {@link ExternalBenchmarkRun}.
 *
 * <pre>java -cp … dev.mcpgovernance.benchmarks.BenchmarkRun docs/benchmarks.md</pre>
 */
public final class BenchmarkRun {

	private static final int[] CALLERS = { 1, 8, 64 };

	// Shorter runs (-Dbench.warm-up-seconds=1 -Dbench.measured-seconds=2) are for checking the harness only.
	private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warm-up-seconds", 2));

	private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("bench.measured-seconds", 9));

	/**
	 * Load on each server before anything is measured, for the JIT: a JFR recording showed C2 compiling
	 * for the whole of a 20-second run, spending more CPU than the request threads, so short warm-ups
	 * measured the compiler.
	 */
	private static final Duration FIRST_WARM_UP = Duration.ofSeconds(Long.getLong("bench.first-warm-up-seconds", 20));

	private static final int JMH_WARM_UP_ITERATIONS = 2;

	private static final int JMH_MEASURED_ITERATIONS = 3;

	/** Measured slices per server, alternating bare and governed. */
	private static final int ROUNDS = 3;

	private BenchmarkRun() {
	}

	/** One side-by-side run: a governed configuration against the bare server, and its audit count. */
	record Configuration(String name, String description, List<LoadDriver.Result[]> pairs, long answeredCalls,
			long auditRows) {
	}

	@FunctionalInterface
	interface ServerStart {

		BenchmarkServer start() throws Exception;

	}

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		Path output = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
		List<Configuration> configurations = new ArrayList<>();
		configurations.add(sideBySide("memory stores + H2 audit",
				"memory rate limits; API key table and audit trail in embedded H2 (the first-run default)",
				BenchmarkServer::governed));
		configurations.add(sideBySide("Redis limits + PostgreSQL audit",
				"rate limits in the local Redis; API key table and audit trail in the local PostgreSQL "
						+ "(`reWriteBatchedInserts=true`), as several replicas would run",
				BenchmarkServer::governedOnRedisAndPostgres));
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		Files.writeString(output, withGeneratedSection(output, report(configurations, took)));
		System.out.println("Wrote " + output);
	}

	private static Configuration sideBySide(String name, String description, ServerStart governedStart)
			throws Exception {
		BenchmarkServer bare = BenchmarkServer.bare();
		BenchmarkServer governed;
		try {
			governed = governedStart.start();
		}
		catch (Exception | Error ex) {
			// Stop the bare server too, or its non-daemon threads keep this JVM running after the failure.
			bare.stop();
			throw ex;
		}
		List<LoadDriver.Result[]> pairs = new ArrayList<>();
		long answered = 0;
		long auditRows;
		try {
			LoadDriver.run(bare, 8, FIRST_WARM_UP, Duration.ZERO);
			// Every answered call must have its audit row, these included.
			answered += LoadDriver.run(governed, 8, FIRST_WARM_UP, Duration.ZERO).answeredCalls();
			for (int callers : CALLERS) {
				LoadDriver.Result[] pair = LoadDriver.interleaved(bare, governed, callers, WARM_UP, MEASURED, ROUNDS);
				LoadDriver.Result bareResult = pair[0];
				LoadDriver.Result governedResult = pair[1];
				pairs.add(pair);
				answered += governedResult.answeredCalls();
				System.out.printf(Locale.ROOT, "%s, %d callers: bare %.0f calls/s, governed %.0f calls/s%n", name,
						callers, bareResult.callsPerSecond(), governedResult.callsPerSecond());
			}
		}
		finally {
			bare.stop();
			auditRows = governed.stopAndCountAuditRows();
		}
		System.out.printf(Locale.ROOT, "%s: %d calls answered, %d audit rows%n", name, answered, auditRows);
		return new Configuration(name, description, pairs, answered, auditRows);
	}

	/** The page with this run's section replaced (or added under the title); other sections are kept. */
	private static String withGeneratedSection(Path page, String section) throws IOException {
		return new GeneratedSection("BenchmarkRun").writtenInto(page, section, (existing, generated) -> {
			int afterTitle = existing.indexOf('\n') + 1;
			return existing.substring(0, afterTitle) + "\n" + generated + "\n" + existing.substring(afterTitle);
		});
	}

	/** JMH for {@link HotPathBenchmarks}, in one forked JVM with a fixed heap. */
	static Collection<RunResult> microBenchmarks() throws RunnerException {
		return new Runner(new OptionsBuilder().include(HotPathBenchmarks.class.getName())
			.forks(1)
			.jvmArgs("-Xms1g", "-Xmx1g")
			.warmupIterations(JMH_WARM_UP_ITERATIONS)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(JMH_MEASURED_ITERATIONS)
			.measurementTime(TimeValue.seconds(1))
			.build()).run();
	}

	private static String report(List<Configuration> configurations, Duration took)
			throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("Generated by `./scripts/benchmark in-jvm` (class `dev.mcpgovernance.benchmarks.BenchmarkRun`); ")
			.append("rerun it to refresh this page. Do not edit the numbers by hand.\n\n");
		md.append("## Machine and versions (governed vs bare, hot paths)\n\n");
		md.append("| | |\n|---|---|\n");
		md.append("| date | ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append(" |\n");
		md.append("| CPU | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores available |\n");
		md.append("| memory | ").append(memory()).append(" |\n");
		md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
			.append(" |\n");
		md.append("| Java | ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.version")).append(" |\n");
		md.append(versionsRow());
		md.append(String.format(Locale.ROOT, "| this run took | %d min %02d s (servers; not the build before) |%n%n",
				took.toMinutes(), took.toSecondsPart()));

		md.append("## Governed vs bare tool calls\n\n");
		md.append("Both servers run in one JVM from the same build, on 127.0.0.1 with the STREAMABLE protocol, and ")
			.append("serve the same `get_order` tool whose handler does almost nothing. The bare one is plain Spring AI ")
			.append("(governance and Spring Security off); the governed one has the starter with a declared API key ")
			.append("and everything on: authentication, the caller's rpm, the tool's per-caller and global limits ")
			.append("and a daily call budget (all set out of reach, so none refuses; on Redis the tool's three go in ")
			.append("one script run), scope check, redaction of the result, an audit record per call, metrics. Callers are MCP ")
			.append("Java SDK streamable-HTTP clients, one session each, calling in a closed loop: ")
			.append(FIRST_WARM_UP.toSeconds()).append(" s of load on each server first (for the JIT), then per caller count ")
			.append(WARM_UP.toSeconds()).append(" s warm-up per server and ").append(MEASURED.toSeconds())
			.append(" s measured per server in ").append(ROUNDS)
			.append(" alternating slices (bare, governed, bare, ...), so that a machine whose speed drifts slows ")
			.append("both alike; the load driver runs on the same cores as the servers. Latency in microseconds. ")
			.append("CPU per call is the whole JVM's CPU time (server under load and load driver) during that ")
			.append("server's measured slices, divided by its calls: unlike calls/s it does not depend on how much ")
			.append("CPU the machine gave the run. With few cores the load driver competes with the servers for CPU, ")
			.append("so repeated runs differ: read one run's ratio as an estimate, not a verdict.\n\n");
		for (Configuration configuration : configurations) {
			md.append("### ").append(configuration.name()).append("\n\n");
			md.append("Governed server: ").append(configuration.description()).append(".\n\n");
			md.append("| callers | bare calls/s | governed calls/s | governed/bare | bare CPU µs/call | governed CPU µs/call | bare p50 | governed p50 | bare p99 | governed p99 | bare p99.9 | governed p99.9 | added p99 | errors |\n");
			md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			for (LoadDriver.Result[] pair : configuration.pairs()) {
				LoadDriver.Result bare = pair[0];
				LoadDriver.Result governed = pair[1];
				md.append(String.format(Locale.ROOT,
						"| %d | %.0f | %.0f | %.0f%% | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %d |\n",
						bare.callers(), bare.callsPerSecond(), governed.callsPerSecond(),
						100 * governed.callsPerSecond() / bare.callsPerSecond(), bare.cpuMicrosPerCall(),
						governed.cpuMicrosPerCall(), bare.p50Micros(),
						governed.p50Micros(), bare.p99Micros(), governed.p99Micros(), bare.p999Micros(),
						governed.p999Micros(), governed.p99Micros() - bare.p99Micros(),
						bare.errors() + governed.errors()));
			}
			for (LoadDriver.Result[] pair : configuration.pairs()) {
				for (LoadDriver.Result result : pair) {
					if (!plausible(result)) {
						md.append(String.format(Locale.ROOT,
								"%n**Inconsistent measurement** at %d callers: %.0f calls/s × %.0f µs of CPU per call is "
										+ "more CPU than %d cores have; do not trust this row.%n",
								result.callers(), result.callsPerSecond(), result.cpuMicrosPerCall(),
								Runtime.getRuntime().availableProcessors()));
					}
				}
			}
			long lost = configuration.answeredCalls() - configuration.auditRows();
			md.append(String.format(Locale.ROOT,
					"%nAudit: %d tool calls answered by the governed server (warm-up included), %d rows in "
							+ "`mcp_governance_audit` after its graceful stop: %s.%n%n",
					configuration.answeredCalls(), configuration.auditRows(),
					(lost == 0) ? "none lost" : (lost > 0) ? lost + " missing" : -lost + " more rows than answered calls"));
		}

		return md.toString();
	}

	/** The JMH results as a table under their own heading. */
	static void microBenchmarkTable(StringBuilder md, Collection<RunResult> micro) {
		md.append("### Hot paths (JMH)\n\n");
		md.append("One fork, ").append(JMH_WARM_UP_ITERATIONS).append(" × 1 s warm-up, ").append(JMH_MEASURED_ITERATIONS)
			.append(" × 1 s measured; average time per operation.\n\n");
		md.append("| benchmark | ns/op | ± (99.9%) |\n|---|---:|---:|\n");
		for (RunResult result : micro) {
			String name = result.getParams().getBenchmark();
			md.append(String.format(Locale.ROOT, "| `%s` | %.1f | %.1f |\n", name.substring(name.lastIndexOf('.') + 1),
					result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
		}
	}

	/**
	 * Whether a result's calls/s and CPU per call fit the machine: their product is the CPU the run
	 * used per second, which cannot exceed the cores. A load driver that counts calls outside its
	 * measured time (as this one once did at 64 callers) fails this check.
	 */
	static boolean plausible(LoadDriver.Result result) {
		double coresUsed = result.callsPerSecond() * result.cpuMicrosPerCall() / 1e6;
		return coresUsed <= Runtime.getRuntime().availableProcessors() * 1.05;
	}

	static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown CPU");
		}
		catch (IOException ex) {
			return "unknown CPU";
		}
	}

	static String memory() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo"))
				.stream()
				.filter((line) -> line.startsWith("MemTotal"))
				.map((line) -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024 + " GiB")
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/** The table row naming the versions the run measured, the same in both runs' sections. */
	static String versionsRow() throws IOException {
		Properties versions = versions();
		return "| Spring Boot / Spring AI / MCP Java SDK / MCP Governance | " + SpringBootVersion.getVersion() + " / "
				+ versions.getProperty("spring-ai") + " / " + versions.getProperty("mcp-sdk") + " / "
				+ versions.getProperty("mcp-governance") + " |\n";
	}

	private static Properties versions() throws IOException {
		Properties versions = new Properties();
		try (InputStream in = BenchmarkRun.class.getResourceAsStream("/versions.properties")) {
			versions.load(in);
		}
		return versions;
	}

}
