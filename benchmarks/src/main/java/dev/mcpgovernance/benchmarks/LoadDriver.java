package dev.mcpgovernance.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.HdrHistogram.Histogram;

/**
 * Drives {@code tools/call} through the MCP Java SDK's streamable-HTTP client: N callers, each with
 * its own session, calling in a closed loop for a warm-up and then a measured period.
 */
public final class LoadDriver {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final CallToolRequest CALL = new CallToolRequest("get_order", Map.of("orderId", "ord_1001"));

	private LoadDriver() {
	}

	/**
	 * The outcome of one run: throughput, latency percentiles in microseconds, failed calls, and every
	 * call that got an answer, warm-up included (each one should have left one audit record).
	 */
	public record Result(int callers, double callsPerSecond, double p50Micros, double p99Micros, double p999Micros,
			long errors, long answeredCalls, double cpuMicrosPerCall) {
	}

	public static Result run(BenchmarkServer server, int callers, Duration warmUp, Duration measured)
			throws InterruptedException {
		try (Callers load = new Callers(server, callers)) {
			load.slice(warmUp, false);
			load.slice(measured, true);
			return load.result();
		}
	}

	/**
	 * Both servers under the same load in turns: each warmed up, then {@code rounds} alternating slices
	 * of {@code measured / rounds} each. A machine whose speed drifts (a shared VM) then slows both
	 * sides alike, which one long run per server does not.
	 */
	public static Result[] interleaved(BenchmarkServer first, BenchmarkServer second, int callers, Duration warmUp,
			Duration measured, int rounds) throws InterruptedException {
		try (Callers a = new Callers(first, callers); Callers b = new Callers(second, callers)) {
			a.slice(warmUp, false);
			b.slice(warmUp, false);
			Duration slice = measured.dividedBy(rounds);
			for (int round = 0; round < rounds; round++) {
				a.slice(slice, true);
				b.slice(slice, true);
			}
			return new Result[] { a.result(), b.result() };
		}
	}

	/** One server's callers, each with its own session, kept open across slices; measured slices add up. */
	private static final class Callers implements AutoCloseable {

		private final List<McpSyncClient> clients = new ArrayList<>();

		private final Histogram latencies = new Histogram(Duration.ofSeconds(30).toNanos(), 3);

		private long measuredCalls;

		private long answeredCalls;

		private long errors;

		private double measuredSeconds;

		private long cpuNanos;

		Callers(BenchmarkServer server, int callers) {
			for (int i = 0; i < callers; i++) {
				this.clients.add(client(server));
			}
		}

		void slice(Duration period, boolean measured) throws InterruptedException {
			Slice slice = loop(this.clients, period);
			this.answeredCalls += slice.calls();
			if (measured) {
				this.latencies.add(slice.latencies());
				this.measuredCalls += slice.calls();
				this.errors += slice.errors();
				this.measuredSeconds += slice.seconds();
				this.cpuNanos += slice.cpuNanos();
			}
		}

		Result result() {
			return new Result(this.clients.size(), this.measuredCalls / this.measuredSeconds,
					this.latencies.getValueAtPercentile(50) / 1e3, this.latencies.getValueAtPercentile(99) / 1e3,
					this.latencies.getValueAtPercentile(99.9) / 1e3, this.errors, this.answeredCalls,
					this.cpuNanos / 1e3 / Math.max(1, this.measuredCalls));
		}

		@Override
		public void close() {
			this.clients.forEach(McpSyncClient::closeGracefully);
		}

	}

	private record Slice(Histogram latencies, long calls, long errors, double seconds, long cpuNanos) {
	}

	/**
	 * One slice of closed-loop calls. The callers' threads are all started before the clock and the CPU
	 * count start, and begin calling together: on two busy cores starting 64 threads took tens of
	 * seconds, and calls made meanwhile must not count against a shorter measured time.
	 */
	private static Slice loop(List<McpSyncClient> clients, Duration period) throws InterruptedException {
		Histogram latencies = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
		AtomicLong calls = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		CountDownLatch ready = new CountDownLatch(clients.size());
		CountDownLatch go = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(clients.size());
		for (McpSyncClient client : clients) {
			new Thread(() -> {
				Histogram own = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
				try {
					ready.countDown();
					go.await();
					while (running.get()) {
						long start = System.nanoTime();
						boolean failed = Boolean.TRUE.equals(client.callTool(CALL).isError());
						own.recordValue(Math.min(System.nanoTime() - start, own.getHighestTrackableValue()));
						calls.incrementAndGet();
						if (failed) {
							errors.incrementAndGet();
						}
					}
				}
				catch (RuntimeException ex) {
					errors.incrementAndGet();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					synchronized (latencies) {
						latencies.add(own);
					}
					done.countDown();
				}
			}, "bench-caller").start();
		}
		ready.await();
		long cpuBefore = OS.getProcessCpuTime();
		long started = System.nanoTime();
		go.countDown();
		Thread.sleep(period.toMillis());
		running.set(false);
		done.await();
		return new Slice(latencies, calls.get(), errors.get(), (System.nanoTime() - started) / 1e9,
				OS.getProcessCpuTime() - cpuBefore);
	}

	private static McpSyncClient client(BenchmarkServer server) {
		HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
			.builder("http://127.0.0.1:" + server.port())
			.endpoint("/mcp");
		if (server.apiKey() != null) {
			transport.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", server.apiKey()));
		}
		McpSyncClient client = McpClient.sync(transport.build()).requestTimeout(Duration.ofSeconds(30)).build();
		client.initialize();
		return client;
	}

}
