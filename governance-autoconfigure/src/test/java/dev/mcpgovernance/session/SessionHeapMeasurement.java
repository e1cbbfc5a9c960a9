package dev.mcpgovernance.session;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not a test: a measurement run by hand, with the heap, e.g.
 * {@code mvn test -Dtest=SessionHeapMeasurement -Dmcp.governance.measure=true -DargLine=-Xmx512m}.
 * Opens 100,000 sessions and abandons them, with the default limits (a shorter idle timeout with
 * {@code -Dmcp.governance.measure.idle-timeout=3s}, so that they also expire while more are opened),
 * and prints the heap after a full GC, the latency of a call before and after, and how long a
 * graceful shutdown takes.
 */
@Tag("measurement")
@EnabledIfSystemProperty(named = "mcp.governance.measure", matches = "true")
class SessionHeapMeasurement {

	private static final int ATTEMPTS = 100_000;

	@Test
	void heapStaysFlatWhileSessionsAreAbandoned() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GovernedTestApplication.class)
			.properties("server.port=0", "spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.datasource.url=jdbc:h2:mem:session-heap;DB_CLOSE_DELAY=-1",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
					"logging.level.dev.mcpgovernance=WARN",
					"mcp.governance.sessions.idle-timeout=" + System.getProperty("mcp.governance.measure.idle-timeout", "30m"))
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		ApiKeyManager apiKeys = context.getBean(ApiKeyManager.class);
		SessionRegistry sessions = context.getBean(SessionRegistry.class);
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			keys.add(apiKeys.create("heap-" + i, null, ScopeSet.parse(List.of("inventory:*:read")), 100_000_000, null)
				.secret());
		}
		RawMcp mcp = new RawMcp(port);
		String probeKey = keys.get(0);
		String probe = mcp.openSession(probeKey);
		latencies(mcp, probeKey, probe, 300);
		long before = heapAfterGc();
		String latencyBefore = latencies(mcp, probeKey, probe, 500);

		Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		long started = System.nanoTime();
		for (int i = 0; i < ATTEMPTS; i++) {
			String key = keys.get(i % keys.size());
			sent.add(CompletableFuture.runAsync(() -> {
				int status;
				try {
					status = mcp.post(key, null, RawMcp.INITIALIZE).statusCode();
				}
				catch (Exception ex) {
					status = -1;
				}
				statuses.computeIfAbsent(status, (s) -> new LongAdder()).increment();
			}, threads));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
		long openSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		threads.shutdown();
		// The client runs in this JVM too: its futures must not count as the server's heap.
		sent.clear();
		long after = heapAfterGc();
		// Sessions ended here stay in the transport until its own idle eviction runs (at most one more period).
		long settled = after;
		if (sessions.idleTimeout().toSeconds() < 60) {
			Thread.sleep(2 * sessions.idleTimeout().toMillis() + 1000);
			settled = heapAfterGc();
		}
		// With a short idle timeout the probe has expired meanwhile: a new one, once there is room.
		while (mcp.post(probeKey, probe, RawMcp.TOOLS_LIST).statusCode() != 200) {
			HttpResponse<String> opened = mcp.post(probeKey, null, RawMcp.INITIALIZE);
			if (opened.statusCode() == 200) {
				probe = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
			}
			else {
				Thread.sleep(200);
			}
		}
		String latencyAfter = latencies(mcp, probeKey, probe, 500);
		int active = sessions.active();

		long closing = System.nanoTime();
		context.close();
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

		System.out.printf("%n[session-heap] max heap %d MB, idle timeout %s%n", Runtime.getRuntime().maxMemory() >> 20,
				sessions.idleTimeout());
		System.out.printf("[session-heap] %d initialize requests in %d s: %s%n", ATTEMPTS, openSeconds, statuses);
		System.out.printf("[session-heap] sessions open at the end: %d%n", active);
		System.out.printf("[session-heap] heap after full GC: before %.1f MB, after %.1f MB, two idle periods later %.1f MB%n",
				before / 1048576.0, after / 1048576.0, settled / 1048576.0);
		System.out.printf("[session-heap] tools/list on an open session, before: %s; after: %s%n", latencyBefore,
				latencyAfter);
		System.out.printf("[session-heap] graceful shutdown with %d sessions open: %d ms%n%n", active, closeMillis);
	}

	private static String latencies(RawMcp mcp, String key, String session, int calls) throws Exception {
		long[] nanos = new long[calls];
		long started = System.nanoTime();
		for (int i = 0; i < calls; i++) {
			long start = System.nanoTime();
			int status = mcp.post(key, session, RawMcp.TOOLS_LIST).statusCode();
			if (status != 200) {
				throw new IllegalStateException("tools/list answered " + status);
			}
			nanos[i] = System.nanoTime() - start;
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		Arrays.sort(nanos);
		return String.format("%.0f calls/s, p50 %.1f ms, p99 %.1f ms", calls / seconds, nanos[calls / 2] / 1e6,
				nanos[calls * 99 / 100] / 1e6);
	}

	private static long heapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			memory.gc();
			Thread.sleep(200);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
