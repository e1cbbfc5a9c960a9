package dev.mcpgovernance.benchmarks;

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

	private static final CallToolRequest CALL = new CallToolRequest("get_order", Map.of("orderId", "ord_1001"));

	private LoadDriver() {
	}

	/**
	 * The outcome of one run: throughput, latency percentiles in microseconds, failed calls, and every
	 * call that got an answer, warm-up included (each one should have left one audit record).
	 */
	public record Result(int callers, double callsPerSecond, double p50Micros, double p99Micros, double p999Micros,
			long errors, long answeredCalls) {

		Result withWarmUp(Result warmUp) {
			return new Result(this.callers, this.callsPerSecond, this.p50Micros, this.p99Micros, this.p999Micros,
					this.errors, this.answeredCalls + warmUp.answeredCalls);
		}

	}

	public static Result run(BenchmarkServer server, int callers, Duration warmUp, Duration measured)
			throws InterruptedException {
		List<McpSyncClient> clients = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			clients.add(client(server));
		}
		try {
			Result warmUpResult = loop(clients, warmUp);
			return loop(clients, measured).withWarmUp(warmUpResult);
		}
		finally {
			clients.forEach(McpSyncClient::closeGracefully);
		}
	}

	private static Result loop(List<McpSyncClient> clients, Duration period) throws InterruptedException {
		Histogram latencies = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
		AtomicLong calls = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		CountDownLatch done = new CountDownLatch(clients.size());
		for (McpSyncClient client : clients) {
			new Thread(() -> {
				Histogram own = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
				try {
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
				finally {
					synchronized (latencies) {
						latencies.add(own);
					}
					done.countDown();
				}
			}, "bench-caller").start();
		}
		long started = System.nanoTime();
		Thread.sleep(period.toMillis());
		running.set(false);
		done.await();
		double seconds = (System.nanoTime() - started) / 1e9;
		return new Result(clients.size(), calls.get() / seconds, latencies.getValueAtPercentile(50) / 1e3,
				latencies.getValueAtPercentile(99) / 1e3, latencies.getValueAtPercentile(99.9) / 1e3, errors.get(),
				calls.get());
	}

	private static McpSyncClient client(BenchmarkServer server) {
		HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
			.builder("http://127.0.0.1:" + server.port())
			.endpoint("/mcp");
		if (server.apiKey() != null) {
			transport.customizeRequest((request) -> request.header("X-API-Key", server.apiKey()));
		}
		McpSyncClient client = McpClient.sync(transport.build()).requestTimeout(Duration.ofSeconds(30)).build();
		client.initialize();
		return client;
	}

}
