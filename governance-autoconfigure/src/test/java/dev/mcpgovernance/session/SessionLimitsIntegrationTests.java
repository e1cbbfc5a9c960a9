package dev.mcpgovernance.session;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions are bounded: an idle one ends (its event stream too), the server holds at most
 * {@code max-total}, and thousands opened and abandoned never hold more than that. (10,000 or more,
 * for at least 7 s, rather than a fixed larger number keeps the test near 30 s on a busy two-core
 * machine while sessions still end during the flood on a fast one.)
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:session-limits-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.sessions.idle-timeout=3s", "mcp.governance.sessions.max-per-caller=25",
				"mcp.governance.sessions.max-total=60" })
class SessionLimitsIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	SessionRegistry sessions;

	@Autowired
	MeterRegistry meters;

	RawMcp mcp;

	@BeforeEach
	void client() {
		this.mcp = new RawMcp(this.port);
		// Sessions of an earlier test end first, so each test starts from an empty server.
		await().atMost(Duration.ofSeconds(15)).until(() -> this.sessions.active() == 0);
	}

	private String key(String owner) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of("inventory:*:read")), 10_000_000, null).secret();
	}

	@Test
	void anIdleSessionEndsWithItsEventStream() throws Exception {
		String alice = key("idle-alice");
		String session = this.mcp.openSession(alice);
		CompletableFuture<HttpResponse<String>> stream = this.mcp.openStream(alice, session);
		assertThat(RawMcp.staysOpen(stream)).isTrue();
		assertThat(this.mcp.post(alice, session, RawMcp.TOOLS_LIST).statusCode()).isEqualTo(200);

		assertThat(RawMcp.ends(stream, Duration.ofSeconds(10))).as("the event stream ends once the session is idle")
			.isTrue();
		assertThat(this.mcp.post(alice, session, RawMcp.TOOLS_LIST).statusCode()).isEqualTo(404);
		assertThat(this.meters.get("mcp.governance.sessions.refused").tag("reason", "ended").functionCounter().count())
			.isGreaterThanOrEqualTo(1);
		assertThat(this.meters.get("mcp.governance.sessions.active").gauge().value()).isZero();
	}

	@Test
	void aFullServerRefusesANewSessionWithAJsonRpcError() throws Exception {
		List<String> keys = List.of(key("full-1"), key("full-2"), key("full-3"), key("full-4"));
		int opened = 0;
		HttpResponse<String> refused = null;
		// Up to 60 open; the transport may refuse earlier while it still holds sessions ended here.
		for (int i = 0; i < 100 && refused == null; i++) {
			HttpResponse<String> response = this.mcp.post(keys.get(i % keys.size()), null, RawMcp.INITIALIZE);
			if (response.statusCode() == 200) {
				opened++;
			}
			else {
				refused = response;
			}
		}

		assertThat(opened).isLessThanOrEqualTo(60);
		assertThat(refused).isNotNull();
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Mcp-Session-Id")).isEmpty();
		assertThat(JSON.readTree(refused.body())).isEqualTo(JSON.readTree(
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"Max number of sessions reached\"}}"));
		assertThat(this.sessions.active()).isEqualTo(opened);
	}

	@Test
	void tenThousandAbandonedSessionsNeverHoldMoreThanTheBound() throws Exception {
		List<String> keys = List.of(key("flood-1"), key("flood-2"), key("flood-3"), key("flood-4"));
		AtomicInteger highest = new AtomicInteger();
		AtomicBoolean flooding = new AtomicBoolean(true);
		Thread sampler = new Thread(() -> {
			while (flooding.get()) {
				highest.accumulateAndGet(this.sessions.active(), Math::max);
				Thread.onSpinWait();
			}
		});
		sampler.start();
		Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
		// At least 10,000 sessions, and for longer than twice the idle timeout: on a fast machine
		// 10,000 take less than the 3 s after which the first ones end, and then no session could end
		// during the flood.
		AtomicInteger sent = new AtomicInteger();
		long started = System.nanoTime();
		long floodAtLeast = TimeUnit.SECONDS.toNanos(7);
		long floodAtMost = TimeUnit.SECONDS.toNanos(50);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<CompletableFuture<Void>> flooders = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			flooders.add(CompletableFuture.runAsync(() -> {
				while (true) {
					long elapsed = System.nanoTime() - started;
					int i = sent.getAndIncrement();
					if (elapsed > floodAtMost || (i >= 10_000 && elapsed > floodAtLeast)) {
						return;
					}
					try {
						int status = this.mcp.post(keys.get(i % keys.size()), null, RawMcp.INITIALIZE).statusCode();
						statuses.computeIfAbsent(status, (s) -> new LongAdder()).increment();
					}
					catch (Exception ex) {
						statuses.computeIfAbsent(-1, (s) -> new LongAdder()).increment();
					}
				}
			}, threads));
		}
		CompletableFuture.allOf(flooders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
		long answered = statuses.values().stream().mapToLong(LongAdder::sum).sum();
		flooding.set(false);
		sampler.join();
		threads.shutdown();

		assertThat(statuses.keySet()).as("every answer to %s requests in %ss: %s", answered, seconds, statuses).isSubsetOf(200, 429, 503);
		assertThat(highest.get()).as("most sessions open at once").isLessThanOrEqualTo(60);
		assertThat(statuses.get(200).sum()).as("sessions opened as idle ones ended").isGreaterThan(60);
		await().atMost(Duration.ofSeconds(15)).until(() -> this.sessions.active() == 0);
		assertThat(this.mcp.openSession(keys.get(0))).as("the server still opens sessions").isNotBlank();
	}

}
