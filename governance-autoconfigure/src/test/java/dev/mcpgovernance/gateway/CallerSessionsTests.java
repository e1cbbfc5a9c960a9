package dev.mcpgovernance.gateway;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.gateway.CallerSessions.CallerKey;
import dev.mcpgovernance.gateway.CallerSessions.Lease;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The callers' upstream sessions are bounded and expire: one per caller, the idlest closed for a new
 * caller at the bound, none handed out when every one has a call in progress, idle ones closed.
 * Real SDK sessions against a small hand-written upstream.
 */
class CallerSessionsTests {

	private static final CallerKey ALICE = new CallerKey("session-1", "key-a", "alice");

	private static final CallerKey BOB = new CallerKey("session-2", "key-b", "bob");

	private static final CallerKey CAROL = new CallerKey("session-3", "key-c", "carol");

	private final AtomicInteger opened = new AtomicInteger();

	private SseRetryUpstream upstream;

	private UpstreamDefinition definition;

	@BeforeEach
	void start() throws IOException {
		this.upstream = new SseRetryUpstream(List.of());
		this.definition = UpstreamDefinition.of("archive", URI.create(this.upstream.url()),
				UpstreamDefinition.Transport.STREAMABLE, null, List.of(), List.of(), Map.of(), DownstreamAuth.none(),
				DownstreamAuth.none());
	}

	@AfterEach
	void stop() {
		this.upstream.close();
	}

	private Optional<Lease> acquire(CallerSessions sessions, CallerKey caller) {
		return sessions.acquire(caller, McpSchema.ClientCapabilities.builder().build(), (channel) -> {
			this.opened.incrementAndGet();
			return new UpstreamClient(this.definition, new HttpHeaders(), Duration.ofSeconds(5), Duration.ofSeconds(5),
					channel);
		}, null, null);
	}

	@Test
	void aCallerKeepsItsSessionAndAnotherCallerGetsItsOwn() {
		CallerSessions sessions = new CallerSessions(10, Duration.ofMinutes(5), UnaryOperator.identity());
		Lease first = acquire(sessions, ALICE).orElseThrow();
		first.end();
		Lease again = acquire(sessions, ALICE).orElseThrow();
		again.end();
		Lease other = acquire(sessions, BOB).orElseThrow();
		other.end();
		assertThat(again.session()).isSameAs(first.session());
		assertThat(other.session()).isNotSameAs(first.session());
		assertThat(other.session().client()).isNotSameAs(first.session().client());
		assertThat(this.opened).hasValue(2);
		sessions.closeAll();
	}

	@Test
	void atTheBoundTheIdlestSessionIsClosedForANewCaller() {
		CallerSessions sessions = new CallerSessions(2, Duration.ofMinutes(5), UnaryOperator.identity());
		acquire(sessions, ALICE).orElseThrow().end();
		acquire(sessions, BOB).orElseThrow().end();
		acquire(sessions, CAROL).orElseThrow().end();
		assertThat(sessions.size()).isEqualTo(2);
		// Alice's was the idlest: her next call opens a new session.
		acquire(sessions, ALICE).orElseThrow().end();
		assertThat(this.opened).hasValue(4);
		sessions.closeAll();
	}

	@Test
	void whenEverySessionHasACallInProgressANewCallerGetsNone() {
		CallerSessions sessions = new CallerSessions(2, Duration.ofMinutes(5), UnaryOperator.identity());
		Lease alice = acquire(sessions, ALICE).orElseThrow();
		Lease bob = acquire(sessions, BOB).orElseThrow();
		assertThat(acquire(sessions, CAROL)).isEmpty();
		bob.end();
		assertThat(acquire(sessions, CAROL)).isPresent();
		alice.end();
		sessions.closeAll();
	}

	@Test
	void idleSessionsAreClosedAndBusyOnesKept() throws InterruptedException {
		CallerSessions sessions = new CallerSessions(10, Duration.ofMillis(50), UnaryOperator.identity());
		acquire(sessions, ALICE).orElseThrow().end();
		Lease bob = acquire(sessions, BOB).orElseThrow();
		Thread.sleep(100);
		sessions.closeIdle();
		assertThat(sessions.size()).isEqualTo(1);
		assertThat(acquire(sessions, BOB).orElseThrow().session()).isSameAs(bob.session());
		bob.end();
		sessions.closeAll();
		assertThat(sessions.size()).isZero();
	}

	@Test
	void callersArrivingTogetherDoNotPassTheBound() throws Exception {
		CallerSessions sessions = new CallerSessions(2, Duration.ofMinutes(5), UnaryOperator.identity());
		List<CallerKey> callers = List.of(ALICE, BOB, CAROL, new CallerKey("session-4", "key-d", "dave"));
		ExecutorService threads = Executors.newFixedThreadPool(callers.size());
		try {
			List<Future<Optional<Lease>>> leases = new ArrayList<>();
			for (CallerKey caller : callers) {
				leases.add(threads.submit(() -> acquire(sessions, caller)));
			}
			int granted = 0;
			for (Future<Optional<Lease>> lease : leases) {
				granted += lease.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
			}
			// None is ended, so none could be evicted: exactly the bound got a session.
			assertThat(granted).isEqualTo(2);
			assertThat(sessions.size()).isEqualTo(2);
		}
		finally {
			threads.shutdownNow();
			sessions.closeAll();
		}
	}

	@Test
	void noCallerSessionsWhenTheBoundIsZero() {
		CallerSessions sessions = new CallerSessions(0, Duration.ofMinutes(5), UnaryOperator.identity());
		assertThat(acquire(sessions, ALICE)).isEmpty();
		assertThat(this.opened).hasValue(0);
	}

	@Test
	void aDiscardedSessionIsReplacedAtTheCallersNextCall() {
		CallerSessions sessions = new CallerSessions(10, Duration.ofMinutes(5), UnaryOperator.identity());
		Lease broken = acquire(sessions, ALICE).orElseThrow();
		broken.end();
		sessions.discard(broken.session());
		Lease fresh = acquire(sessions, ALICE).orElseThrow();
		fresh.end();
		assertThat(fresh.session()).isNotSameAs(broken.session());
		assertThat(this.opened).hasValue(2);
		sessions.closeAll();
	}

}
