package dev.mcpgovernance.adapter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.adapter.ItemSource.Item;
import dev.mcpgovernance.adapter.TestUpstream.Mode;
import dev.mcpgovernance.tool.InvalidInput;
import dev.mcpgovernance.tool.SourceUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Failover, retries, breakers and time limits with real failures: two real HTTP upstreams that
 * answer, return 503, hang or are stopped, and Resilience4j's real registries. Instances the test
 * puts in a registry first stand for {@code resilience4j.*.instances.<adapter>} properties.
 */
class DataSourceManagerTests {

	private final TestUpstream primary = new TestUpstream("primary");

	private final TestUpstream replica = new TestUpstream("replica");

	private final AdapterExecutor executor = new AdapterExecutor(8, 8);

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

	private final RetryRegistry retries = RetryRegistry.ofDefaults();

	private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();

	@AfterEach
	void stop() {
		this.primary.close();
		this.replica.close();
		this.executor.close();
	}

	private DataSourceManager manager(Duration recentFailureWindow, DataAdapter... adapters) {
		return new DataSourceManager(List.of(adapters),
				new Resilience4jAdapterResilience(this.breakers, this.retries, this.timeLimiters, this.executor),
				this.executor, null, new ObjectMapper(),
				new DataSourceManager.Settings(recentFailureWindow, Duration.ofHours(1), Duration.ofSeconds(2)));
	}

	private DataSourceManager manager() {
		return manager(Duration.ofSeconds(30), new HttpItemSource("primary", this.primary.baseUrl()),
				new HttpItemSource("replica", this.replica.baseUrl()));
	}

	private static Item find(DataSourceManager manager, String id) {
		return manager.call("items", ItemSource.class, (source) -> source.find(id));
	}

	private static List<String> names(List<? extends DataAdapter> adapters) {
		return adapters.stream().map(DataAdapter::name).toList();
	}

	/** Fails every call with a plain (not transient) failure, counting them. */
	private static ItemSource broken(String name, AtomicInteger calls) {
		return new ItemSource() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public Item find(String id) {
				calls.incrementAndGet();
				throw new IllegalStateException("SELECT * FROM item WHERE id = '" + id + "' failed");
			}

		};
	}

	@Test
	void thePrimaryAnswersWhenItIsUp() {
		DataSourceManager manager = manager();

		assertThat(find(manager, "i-1")).isEqualTo(new Item("i-1", "primary"));
		assertThat(this.replica.requests()).isZero();
		assertThat(names(manager.availableAdapters("items"))).containsExactly("primary", "replica");
	}

	@Test
	void transientFailuresAreRetriedWithGrowingJitteredBackoffThenTheNextSourceAnswers() {
		DataSourceManager manager = manager();
		this.primary.mode(Mode.UNAVAILABLE);

		assertThat(find(manager, "i-1")).isEqualTo(new Item("i-1", "replica"));

		// The default retry: 3 attempts, waits of 100 ms then 200 ms, each ±50%.
		List<Long> attempts = this.primary.requestNanos();
		assertThat(attempts).hasSize(3);
		assertThat(TimeUnit.NANOSECONDS.toMillis(attempts.get(1) - attempts.get(0))).isGreaterThanOrEqualTo(50);
		assertThat(TimeUnit.NANOSECONDS.toMillis(attempts.get(2) - attempts.get(1))).isGreaterThanOrEqualTo(100);
		assertThat(this.replica.requests()).isEqualTo(1);
		// The primary failed a moment ago: the replica is asked first for now.
		assertThat(names(manager.availableAdapters("items"))).containsExactly("replica", "primary");
		assertThat(find(manager, "i-2").source()).isEqualTo("replica");
		assertThat(this.primary.requests()).isEqualTo(3);
	}

	@Test
	void aFailureThatIsNotTransientFailsOverWithoutRetry() {
		AtomicInteger calls = new AtomicInteger();
		DataSourceManager manager = manager(Duration.ofSeconds(30), broken("primary", calls),
				new HttpItemSource("replica", this.replica.baseUrl()));

		assertThat(find(manager, "i-1").source()).isEqualTo("replica");
		assertThat(calls).hasValue(1);
	}

	@Test
	void theCallersMistakeEndsTheCallWithoutFailover() {
		DataSourceManager manager = manager();
		this.primary.mode(Mode.BAD_REQUEST);

		assertThatThrownBy(() -> find(manager, "i-1")).isInstanceOf(InvalidInput.class);
		assertThat(this.primary.requests()).isEqualTo(1);
		assertThat(this.replica.requests()).isZero();
		assertThat(this.breakers.circuitBreaker("primary").getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void anOpenBreakerSkipsTheSourceAtOnceAndAHalfOpenProbeClosesItAgain() {
		this.breakers.circuitBreaker("primary", CircuitBreakerConfig.custom()
			.slidingWindowSize(4)
			.minimumNumberOfCalls(4)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofMillis(500))
			.permittedNumberOfCallsInHalfOpenState(1)
			.build());
		this.retries.retry("primary", RetryConfig.custom().maxAttempts(1).build());
		DataSourceManager manager = manager(Duration.ZERO, new HttpItemSource("primary", this.primary.baseUrl()),
				new HttpItemSource("replica", this.replica.baseUrl()));
		this.primary.mode(Mode.UNAVAILABLE);

		for (int i = 0; i < 4; i++) {
			assertThat(find(manager, "i-" + i).source()).isEqualTo("replica");
		}
		assertThat(this.primary.requests()).isEqualTo(4);
		assertThat(manager.healthSummary()).filteredOn((health) -> health.name().equals("primary"))
			.singleElement()
			.satisfies((health) -> {
				assertThat(health.breakerState()).isEqualTo("open");
				assertThat(health.available()).isFalse();
				assertThat(health.failures()).isEqualTo(4);
			});

		// Open: the primary is not even asked.
		assertThat(find(manager, "i-5").source()).isEqualTo("replica");
		assertThat(this.primary.requests()).isEqualTo(4);
		assertThat(names(manager.availableAdapters("items"))).containsExactly("replica");

		// Back up, and once the open state's wait is over one probe closes the breaker.
		this.primary.mode(Mode.OK);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> names(manager.availableAdapters("items")).equals(List.of("primary", "replica")));
		assertThat(find(manager, "i-6").source()).isEqualTo("primary");
		assertThat(this.breakers.circuitBreaker("primary").getState().name()).isEqualTo("CLOSED");
		assertThat(find(manager, "i-7").source()).isEqualTo("primary");
	}

	@Test
	void theTimeLimitCutsOffAHungSourceAndTheNextOneAnswers() {
		this.timeLimiters.timeLimiter("primary",
				TimeLimiterConfig.custom().timeoutDuration(Duration.ofMillis(300)).cancelRunningFuture(true).build());
		DataSourceManager manager = manager();
		this.primary.mode(Mode.HANG);

		long start = System.nanoTime();
		assertThat(find(manager, "i-1").source()).isEqualTo("replica");
		// The upstream hangs until the test ends: only the time limit can have released the call.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		// A timeout is not retried: a hung source is not waited on twice.
		assertThat(this.primary.requests()).isEqualTo(1);
	}

	@Test
	void whenEverySourceIsDownTheCallEndsWithSourceUnavailable() {
		DataSourceManager manager = manager();
		this.primary.stop();
		this.replica.mode(Mode.UNAVAILABLE);

		assertThatThrownBy(() -> find(manager, "i-1")).isInstanceOfSatisfying(SourceUnavailableException.class,
				(ex) -> assertThat(ex.retryAfter()).isEmpty());
		assertThat(this.replica.requests()).isEqualTo(3);
	}

	@Test
	void whenEveryBreakerIsOpenTheCallEndsAtOnceWithRetryAfter() {
		CircuitBreakerConfig opensFast = CircuitBreakerConfig.custom()
			.slidingWindowSize(2)
			.minimumNumberOfCalls(2)
			.waitDurationInOpenState(Duration.ofSeconds(60))
			.build();
		for (String name : List.of("primary", "replica")) {
			this.breakers.circuitBreaker(name, opensFast);
			this.retries.retry(name, RetryConfig.custom().maxAttempts(1).build());
		}
		DataSourceManager manager = manager();
		this.primary.mode(Mode.UNAVAILABLE);
		this.replica.mode(Mode.UNAVAILABLE);
		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> find(manager, "i-1")).isInstanceOf(SourceUnavailableException.class);
		}
		int asked = this.primary.requests() + this.replica.requests();

		assertThatThrownBy(() -> find(manager, "i-1")).isInstanceOfSatisfying(SourceUnavailableException.class,
				(ex) -> assertThat(ex.retryAfter()).hasValueSatisfying(
						(retryAfter) -> assertThat(retryAfter).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60))));
		assertThat(this.primary.requests() + this.replica.requests()).isEqualTo(asked);
		assertThat(manager.availableAdapters("items")).isEmpty();
	}

	@Test
	void aSourceWhoseHealthCheckFailsIsTriedLast() {
		DataSourceManager manager = manager(Duration.ofSeconds(30),
				new HttpItemSource("primary", this.primary.baseUrl(), true),
				new HttpItemSource("replica", this.replica.baseUrl(), true));
		this.primary.mode(Mode.UNAVAILABLE);

		assertThat(manager.healthSummary()).extracting(AdapterHealth::name, AdapterHealth::healthy)
			.containsExactly(tuple("primary", false),
					tuple("replica", true));
		assertThat(names(manager.availableAdapters("items"))).containsExactly("replica", "primary");
	}

	@Test
	void failuresAndSuccessesRecordedByHandReorderTheSources() {
		DataSourceManager manager = manager();

		manager.recordFailure("primary", new IOException("connection reset"));
		assertThat(names(manager.availableAdapters("items"))).containsExactly("replica", "primary");
		manager.recordSuccess("primary");
		assertThat(names(manager.availableAdapters("items"))).containsExactly("primary", "replica");
	}

	@Test
	void twoAdaptersWithOneNameStopStartUp() {
		assertThatThrownBy(() -> manager(Duration.ofSeconds(30), new HttpItemSource("primary", "http://a"),
				new HttpItemSource("primary", "http://b")))
			.isInstanceOf(GovernanceConfigurationException.class)
			.hasMessageContaining("'primary'");
	}

	@Test
	void aGroupAskedForAsTheWrongTypeIsRefused() {
		DataSourceManager manager = manager();

		assertThatThrownBy(() -> manager.group("items", NotAnItemSource.class))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> manager.group("nothing", ItemSource.class)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("items");
	}

	interface NotAnItemSource extends DataAdapter {

	}

}
