package dev.mcpgovernance.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one {@link BenchmarkServer} in a JVM of its own, so that its CPU and memory are its own
 * and any load driver can be pointed at it. Prints one line once the server listens:
 *
 * <pre>READY kind=governed stores=memory port=8080 pid=1234 startMillis=2345 apiKey=mcpg_…</pre>
 *
 * {@code apiKey} is {@code -} for the bare server; the governed one accepts exactly that key in
 * {@code X-API-Key} (generated for this run, with the scope {@code orders:*:read} and limits set far
 * above any load). The server runs until the process is stopped (SIGTERM or SIGINT); a governed
 * server then prints what became of its audit records once the queue is flushed
 * ({@code STOPPED auditWritten=… auditLost=… auditRows=…}) and, on PostgreSQL, drops its schema.
 *
 * <pre>java -cp … dev.mcpgovernance.benchmarks.StandaloneServer bare|governed [memory|redis-postgres] [port]</pre>
 */
public final class StandaloneServer {

	private StandaloneServer() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 1 || args.length > 3) {
			System.err.println("usage: StandaloneServer bare|governed [memory|redis-postgres] [port]");
			System.exit(2);
		}
		String kind = args[0];
		String stores = (args.length > 1) ? args[1] : "memory";
		int port = (args.length > 2) ? Integer.parseInt(args[2]) : 0;
		// Tomcat closes a keep-alive connection after 100 requests by default: a load driver would then
		// measure reconnecting too.
		List<String> extra = List.of("server.port=" + port, "server.tomcat.max-keep-alive-requests=-1");
		BenchmarkServer server = switch (kind + "/" + stores) {
			case "bare/memory" -> BenchmarkServer.bare(extra);
			case "governed/memory" -> BenchmarkServer.governed(extra);
			case "governed/redis-postgres" -> BenchmarkServer.governedOnRedisAndPostgres(extra);
			default -> throw new IllegalArgumentException(
					"unknown server '" + kind + " " + stores + "' (bare has no stores: bare [memory])");
		};
		long startMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				BenchmarkServer.AuditCount audit = server.stopAndCountAudit();
				if (audit != null) {
					System.out.printf("STOPPED auditWritten=%d auditLost=%d auditRows=%d%n", audit.written(),
							audit.lost(), audit.rows());
					System.out.flush();
				}
			}
			catch (Exception ex) {
				System.err.println("stopping: " + ex);
			}
			finally {
				stopped.countDown();
			}
		}, "bench-stop"));
		System.out.printf("READY kind=%s stores=%s port=%d pid=%d startMillis=%d apiKey=%s%n", kind, stores,
				server.port(), ProcessHandle.current().pid(), startMillis,
				(server.apiKey() != null) ? server.apiKey() : "-");
		System.out.flush();
		stopped.await();
	}

}
