package dev.mcpgovernance.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Load on one server only, for a profiler: {@code ProfileRun <bare|memory|redis> <callers> <seconds> [property=value ...]}
 * (the properties apply to the memory configuration).
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
		BenchmarkServer server = switch (configuration) {
			case "bare" -> BenchmarkServer.bare();
			case "memory" -> BenchmarkServer.governed(List.of(args).subList(Math.min(3, args.length), args.length));
			case "redis" -> BenchmarkServer.governedOnRedisAndPostgres();
			default -> throw new IllegalArgumentException("configuration is bare, memory or redis");
		};
		try {
			LoadDriver.Result result = LoadDriver.run(server, callers, Duration.ofSeconds(5), measured);
			System.out.printf(Locale.ROOT,
					"%s, %d callers: %.0f calls/s, p50 %.0f µs, p99 %.0f µs, %d errors, %.0f µs CPU per call%n",
					configuration, callers, result.callsPerSecond(), result.p50Micros(), result.p99Micros(),
					result.errors(), result.cpuMicrosPerCall());
		}
		finally {
			server.stopAndCountAuditRows();
		}
	}

}
