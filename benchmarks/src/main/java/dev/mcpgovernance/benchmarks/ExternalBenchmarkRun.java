package dev.mcpgovernance.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.RunResult;


/**
 * The bare and the governed server each in a JVM of its own ({@link StandaloneServer}), driven by
 * {@link RawLoadDriver} from this JVM: for 1, 8 and 32 sessions, alternating slices between the two,
 * once per governed configuration. Writes its own generated section of docs/benchmarks.md and leaves
 * the rest of the page as it is.
 *
 * <pre>java -cp … dev.mcpgovernance.benchmarks.ExternalBenchmarkRun docs/benchmarks.md [memory] [redis-postgres]</pre>
 */
public final class ExternalBenchmarkRun {

	private static final int[] SESSIONS = { 1, 8, 32 };

	/**
	 * Load on each server before anything is measured: the governed server, with much more code on a
	 * call's path, keeps its JIT compiler threads busy for 45 to 60 s on two cores (25-270 µs of CPU per
	 * call until then, 2 µs after; the bare server's settle within 15 s), so a shorter warm-up counted
	 * compiling as cost per call.
	 */
	private static final Duration FIRST_WARM_UP = Duration.ofSeconds(Long.getLong("bench.first-warm-up-seconds", 60));

	private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warm-up-seconds", 2));

	private static final Duration SLICE = Duration.ofSeconds(Long.getLong("bench.slice-seconds", 3));

	/** Measured slices per server and session count, alternating bare and governed. */
	private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

	/**
	 * Starts of each server per configuration, alternating bare and governed, the last one the server
	 * that takes the load: one start is too noisy on a shared machine to compare.
	 */
	private static final int START_UPS = Integer.getInteger("bench.start-ups", 3);

	private static final String SERVER_HEAP = "-Xmx512m";

	private ExternalBenchmarkRun() {
	}

	/** One server process, its ready line read. */
	record Server(Process process, long pid, int port, String apiKey, double startUpMillis, Path output) {

		long rssKiB() throws IOException {
			return Files.readAllLines(Path.of("/proc/" + this.pid + "/status"))
				.stream()
				.filter((line) -> line.startsWith("VmRSS:"))
				.mapToLong((line) -> Long.parseLong(line.replaceAll("\\D", "")))
				.findFirst()
				.orElse(-1);
		}

		void stop() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

		/** The governed server's audit counts after its graceful stop ({@code STOPPED …} line), or {@code null}. */
		String stoppedLine() throws IOException {
			return lineStarting(this.output, "STOPPED ");
		}

	}

	/** The measured slices of one server at one session count, added up. */
	static final class Totals {

		final Histogram latencies = new Histogram(Duration.ofSeconds(30).toNanos(), 3);

		long calls;

		long errors;

		double seconds;

		long driverCpuNanos;

		long serverCpuNanos;

		void add(RawLoadDriver.Slice slice) {
			this.latencies.add(slice.latencies());
			this.calls += slice.calls();
			this.errors += slice.errors();
			this.seconds += slice.seconds();
			this.driverCpuNanos += slice.driverCpuNanos();
			this.serverCpuNanos += slice.serverCpuNanos();
		}

		double callsPerSecond() {
			return this.calls / this.seconds;
		}

		double micros(double percentile) {
			return this.latencies.getValueAtPercentile(percentile) / 1e3;
		}

		double serverCpuMicrosPerCall() {
			return this.serverCpuNanos / 1e3 / Math.max(1, this.calls);
		}

		double driverCpuMicrosPerCall() {
			return this.driverCpuNanos / 1e3 / Math.max(1, this.calls);
		}

	}

	record Row(int sessions, Totals bare, Totals governed) {
	}

	/**
	 * @param governedAnswered every {@code tools/call} the governed server answered in the run, warm-up
	 * included: each must have its audit record
	 */
	record Configuration(String stores, Server bare, Server governed, List<Row> rows, long bareRssKiB,
			long governedRssKiB, long governedAnswered, List<Double> bareStartUps, List<Double> governedStartUps) {
	}

	/** The median of some start-up times, in seconds, and all of them in the order they ran. */
	static String startUps(List<Double> millis) {
		List<Double> sorted = new ArrayList<>(millis);
		sorted.sort(null);
		double median = (sorted.size() % 2 == 1) ? sorted.get(sorted.size() / 2)
				: (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
		StringBuilder all = new StringBuilder();
		for (double value : millis) {
			all.append((all.length() > 0) ? ", " : "").append(String.format(Locale.ROOT, "%.1f", value / 1e3));
		}
		return String.format(Locale.ROOT, "%.1f s (%s)", median / 1e3, all);
	}

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		Path output = Path.of(args.length > 0 ? args[0] : "docs/benchmarks.md");
		List<String> stores = (args.length > 1) ? List.of(args).subList(1, args.length)
				: List.of("memory", "redis-postgres");
		List<Configuration> configurations = new ArrayList<>();
		for (String store : stores) {
			configurations.add(run(store));
		}
		Collection<RunResult> micro = Boolean.parseBoolean(System.getProperty("bench.jmh", "true"))
				? BenchmarkRun.microBenchmarks() : List.of();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		String section = report(configurations, micro, took);
		System.out.print(section);
		Files.writeString(output, withGeneratedSection(output, section));
	}

	private static Configuration run(String stores) throws Exception {
		// One after the other, so that neither start-up competes with the other for the cores.
		List<Double> bareStartUps = new ArrayList<>();
		List<Double> governedStartUps = new ArrayList<>();
		for (int i = 1; i < START_UPS; i++) {
			Server bare = start("bare", "memory");
			bareStartUps.add(bare.startUpMillis());
			bare.stop();
			Server governed = start("governed", stores);
			governedStartUps.add(governed.startUpMillis());
			governed.stop();
		}
		Server bare = start("bare", "memory");
		Server governed;
		try {
			governed = start("governed", stores);
		}
		catch (Exception ex) {
			bare.stop();
			throw ex;
		}
		bareStartUps.add(bare.startUpMillis());
		governedStartUps.add(governed.startUpMillis());
		List<Row> rows = new ArrayList<>();
		long bareRss;
		long governedRss;
		// The first call of start(), then every call of the governed server's slices.
		long governedAnswered = 1;
		try {
			System.err.printf("%s: bare started in %s, governed in %s%n", stores, startUps(bareStartUps),
					startUps(governedStartUps));
			warmUp(bare);
			governedAnswered += warmUp(governed);
			for (int sessions : SESSIONS) {
				Totals bareTotals = new Totals();
				Totals governedTotals = new Totals();
				try (RawLoadDriver.Sessions a = new RawLoadDriver.Sessions(bare.port(), null, sessions);
						RawLoadDriver.Sessions b = new RawLoadDriver.Sessions(governed.port(), governed.apiKey(),
								sessions)) {
					a.slice(WARM_UP, -1);
					governedAnswered += b.slice(WARM_UP, -1).calls();
					for (int round = 0; round < ROUNDS; round++) {
						bareTotals.add(a.slice(SLICE, bare.pid()));
						RawLoadDriver.Slice slice = b.slice(SLICE, governed.pid());
						governedTotals.add(slice);
						governedAnswered += slice.calls();
					}
				}
				System.err.printf(Locale.ROOT, "%s, %d sessions: bare %.0f calls/s, governed %.0f calls/s%n", stores,
						sessions, bareTotals.callsPerSecond(), governedTotals.callsPerSecond());
				rows.add(new Row(sessions, bareTotals, governedTotals));
			}
			bareRss = bare.rssKiB();
			governedRss = governed.rssKiB();
		}
		finally {
			bare.stop();
			governed.stop();
		}
		return new Configuration(stores, bare, governed, rows, bareRss, governedRss, governedAnswered, bareStartUps,
				governedStartUps);
	}

	/** @return the calls answered */
	private static long warmUp(Server server) throws IOException, InterruptedException {
		try (RawLoadDriver.Sessions load = new RawLoadDriver.Sessions(server.port(), server.apiKey(), 8)) {
			return load.slice(FIRST_WARM_UP, -1).calls();
		}
	}

	/**
	 * Starts a {@link StandaloneServer} and times it from the process start to the first answered
	 * {@code tools/call}: JVM start, Spring Boot, the first session and the first call's cold path.
	 */
	private static Server start(String kind, String stores) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Path log = Files.createTempFile("bench-" + kind + "-", ".log");
		Path output = Files.createTempFile("bench-" + kind + "-", ".out");
		long launched = System.nanoTime();
		Process process = new ProcessBuilder(java, "-Xms512m", SERVER_HEAP, "-cp",
				System.getProperty("java.class.path"), StandaloneServer.class.getName(), kind, stores)
			.redirectError(log.toFile())
			.redirectOutput(output.toFile())
			.start();
		// Its output goes to a file, not a pipe: a pipe's reader loses what the process wrote last (the
		// audit counts it prints once stopped) when the JDK closes the pipe at the process's exit.
		String line = null;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (line == null) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				process.destroyForcibly();
				throw new IOException(kind + " server did not start; see " + output + " and " + log);
			}
			Thread.sleep(50);
			line = lineStarting(output, "READY ");
		}
		int port = Integer.parseInt(field(line, "port"));
		String apiKey = field(line, "apiKey").equals("-") ? null : field(line, "apiKey");
		try (RawLoadDriver.Sessions first = new RawLoadDriver.Sessions(port, apiKey, 1)) {
			if (!first.first()) {
				throw new IllegalStateException("the " + kind + " server's first call failed");
			}
		}
		double startUp = (System.nanoTime() - launched) / 1e6;
		return new Server(process, Long.parseLong(field(line, "pid")), port, apiKey, startUp, output);
	}

	/**
	 * The first whole line of the output that starts with {@code prefix}: a line the server is still
	 * writing (no newline yet) is not taken, or its last field would be read half written.
	 */
	private static String lineStarting(Path output, String prefix) throws IOException {
		String text = Files.readString(output, StandardCharsets.UTF_8);
		String whole = text.substring(0, text.lastIndexOf('\n') + 1);
		return whole.lines().filter((candidate) -> candidate.startsWith(prefix)).findFirst().orElse(null);
	}

	private static String field(String readyLine, String name) {
		for (String part : readyLine.split(" ")) {
			if (part.startsWith(name + "=")) {
				return part.substring(name.length() + 1);
			}
		}
		throw new IllegalStateException("no " + name + " in " + readyLine);
	}

	/**
	 * Every answered call must have its audit record: the governed server's count of records its
	 * store accepted (one row each) against the calls the driver saw answered. An in-memory table
	 * keeps only its newest rows (the default cap), so the rows it still holds are said apart.
	 */
	private static void audit(StringBuilder md, Configuration configuration) throws IOException {
		String stopped = configuration.governed().stoppedLine();
		if (stopped == null) {
			md.append("Audit: the governed server did not report its audit counts at its stop.\n\n");
			return;
		}
		long written = Long.parseLong(field(stopped, "auditWritten"));
		long lost = Long.parseLong(field(stopped, "auditLost"));
		long rows = Long.parseLong(field(stopped, "auditRows"));
		long answered = configuration.governedAnswered();
		String verdict = (written == answered && lost == 0) ? "every answered call has its record"
				: (written < answered) ? (answered - written) + " answered calls without a record (" + lost + " lost)"
						: (written - answered) + " more records than answered calls";
		md.append(String.format(Locale.ROOT,
				"Audit: %d tool calls answered by the governed server (warm-up included), %d records written to "
						+ "`mcp_governance_audit` after its graceful stop, %d lost: %s. The table holds %d rows now%s.%n%n",
				answered, written, lost, verdict, rows,
				(rows < written) ? " (an in-memory table keeps its newest rows, `mcp.governance.audit.in-memory-max-rows`)"
						: ""));
	}

	private static String report(List<Configuration> configurations, Collection<RunResult> micro, Duration took)
			throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("### Separate JVMs, external driver (generated)\n\n");
		md.append("Generated by `./scripts/benchmark` (class `dev.mcpgovernance.benchmarks.ExternalBenchmarkRun`); ")
			.append("do not edit the numbers by hand.\n\n");
		md.append("| | |\n|---|---|\n");
		md.append("| date | ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append(" |\n");
		md.append("| CPU | ").append(BenchmarkRun.cpuModel()).append(", ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores available, shared by the driver and both servers |\n");
		md.append("| memory | ").append(BenchmarkRun.memory()).append(" |\n");
		md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
			.append(" |\n");
		md.append("| Java | ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.version"))
			.append(" (servers `-Xms512m -Xmx512m`) |\n");
		md.append(BenchmarkRun.versionsRow());
		md.append(String.format(Locale.ROOT, "| this run took | %d min %02d s |%n%n", took.toMinutes(),
				took.toSecondsPart()));
		md.append("Each server runs in its own JVM (`StandaloneServer`, as `scripts/benchmark-server` starts it); ")
			.append("the load driver (`RawLoadDriver`) runs in a third. Per server: ")
			.append(FIRST_WARM_UP.toSeconds())
			.append(" s of load at 8 sessions first (until the JIT has settled: the governed server compiles for 45-60 s), then per session count ")
			.append(WARM_UP.toSeconds())
			.append(" s warm-up and ")
			.append(ROUNDS)
			.append(" measured slices of ")
			.append(SLICE.toSeconds())
			.append(" s, alternating bare and governed. Latency in microseconds, as the driver saw it. ")
			.append("Server CPU per call is the server process's utime + stime (`/proc/<pid>/stat`) during ")
			.append("its measured slices over its calls; driver CPU per call is the driver JVM's process CPU ")
			.append("over the same slices. RSS is `VmRSS` after the load. Start-up is from launching the JVM ")
			.append("to the first answered `tools/call` (a new session): the median of ")
			.append(START_UPS)
			.append(" starts of each server, alternating bare and governed, each start in brackets (the last ")
			.append("is the server that then takes the load).\n\n");
		for (Configuration configuration : configurations) {
			md.append("#### governed: ").append(configuration.stores()).append("\n\n");
			md.append("| sessions | server | calls/s | p50 | p99 | p99.9 | server CPU µs/call | driver CPU µs/call | "
					+ "driver/server CPU | errors |\n");
			md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			for (Row row : configuration.rows()) {
				line(md, row.sessions(), "bare", row.bare());
				line(md, row.sessions(), "governed", row.governed());
				md.append(String.format(Locale.ROOT,
						"| %d | governed / bare | %.0f %% | | | | %.2f × | | | |%n", row.sessions(),
						100 * row.governed().callsPerSecond() / row.bare().callsPerSecond(),
						row.governed().serverCpuMicrosPerCall() / row.bare().serverCpuMicrosPerCall()));
			}
			md.append(String.format(Locale.ROOT,
					"%n| | bare | governed |%n|---|---:|---:|%n| start-up to first answered call | %s | %s |%n"
							+ "| RSS after the load | %d MiB | %d MiB |%n%n",
					startUps(configuration.bareStartUps()), startUps(configuration.governedStartUps()),
					configuration.bareRssKiB() / 1024, configuration.governedRssKiB() / 1024));
			audit(md, configuration);
		}
		if (!micro.isEmpty()) {
			BenchmarkRun.microBenchmarkTable(md, micro);
		}
		return md.toString();
	}

	private static void line(StringBuilder md, int sessions, String server, Totals totals) {
		md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %d |%n",
				sessions, server, totals.callsPerSecond(), totals.micros(50), totals.micros(99), totals.micros(99.9),
				totals.serverCpuMicrosPerCall(), totals.driverCpuMicrosPerCall(),
				(double) totals.driverCpuNanos / Math.max(1, totals.serverCpuNanos), totals.errors));
	}

	/** Replaces this run's section, or puts it before the notes on the new line (or at the end). */
	private static String withGeneratedSection(Path page, String section) throws IOException {
		return new GeneratedSection("ExternalBenchmarkRun").writtenInto(page, section, (existing, generated) -> {
			int before = existing.indexOf("\n## On the new line");
			if (before < 0) {
				return existing + "\n" + generated;
			}
			return existing.substring(0, before + 1) + generated + "\n" + existing.substring(before + 1);
		});
	}

}
