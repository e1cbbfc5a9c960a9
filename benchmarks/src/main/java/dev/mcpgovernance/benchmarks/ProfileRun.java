package dev.mcpgovernance.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Load on one server only, for a profiler: {@code ProfileRun <bare|bare-security|memory|redis> <callers> <seconds> [property=value ...]}
 * (the properties apply to the governed configurations).
 * Run it under JFR ({@code -XX:StartFlightRecording=filename=run.jfr,settings=profile}) to see where a
 * governed call spends its CPU; docs/benchmarks.md says how the shares there were counted.
 */
public final class ProfileRun {

	private ProfileRun() {
	}

	public static void main(String[] args) throws Exception {
		String configuration = (args.length > 0) ? args[0] : "memory";
		int callers = (args.length > 1) ? Integer.parseInt(args[1]) : 8;
		Duration measured = Duration.ofSeconds((args.length > 2) ? Long.parseLong(args[2]) : 20);
		List<String> extra = List.of(args).subList(Math.min(3, args.length), args.length);
		BenchmarkServer server = switch (configuration) {
			case "bare" -> BenchmarkServer.bare();
			case "bare-security" -> BenchmarkServer.bareWithSecurity();
			case "memory" -> BenchmarkServer.governed(extra);
			case "redis" -> BenchmarkServer.governedOnRedisAndPostgres(extra);
			default -> throw new IllegalArgumentException("configuration is bare, bare-security, memory or redis");
		};
		try {
			LoadDriver.run(server, callers, Duration.ofSeconds(Long.getLong("bench.warm-up-seconds", 20)), Duration.ZERO);
			Map<String, Long> cpuBefore = cpuByThreadGroup();
			LoadDriver.Result result = LoadDriver.run(server, callers, Duration.ofSeconds(1), measured);
			Map<String, Long> cpuAfter = cpuByThreadGroup();
			// Every call of the CPU window: its 1 s warm-up as well as the measured time.
			double calls = result.answeredCalls();
			cpuAfter.forEach((group, nanos) -> {
				double perCall = (nanos - cpuBefore.getOrDefault(group, 0L)) / 1e3 / calls;
				if (perCall >= 1) {
					System.out.printf(Locale.ROOT, "  %-40s %7.0f µs CPU per call%n", group, perCall);
				}
			});
			System.out.printf(Locale.ROOT,
					"%s, %d callers: %.0f calls/s, p50 %.0f µs, p99 %.0f µs, %d errors, %.0f µs CPU per call%n",
					configuration, callers, result.callsPerSecond(), result.p50Micros(), result.p99Micros(),
					result.errors(), result.cpuMicrosPerCall());
		}
		finally {
			server.stopAndCountAuditRows();
		}
	}

	/**
	 * CPU time of the live threads, summed by name with digits removed ({@code http-nio-...-exec-}).
	 * Threads that end between two snapshots are missed: Tomcat's request threads live on, the MCP
	 * client's per-request threads do not, so read the request-thread line, not the total.
	 */
	private static Map<String, Long> cpuByThreadGroup() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<String, Long> byGroup = new TreeMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null) {
				long nanos = threads.getThreadCpuTime(info.getThreadId());
				if (nanos > 0) {
					byGroup.merge(info.getThreadName().replaceAll("[0-9]+", ""), nanos, Long::sum);
				}
			}
		}
		return byGroup;
	}

}
