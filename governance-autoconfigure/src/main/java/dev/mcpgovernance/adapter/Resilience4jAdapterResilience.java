package dev.mcpgovernance.adapter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpgovernance.tool.InvalidInput;
import dev.mcpgovernance.tool.ToolErrorException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

/**
 * Resilience4j around each call of a source, one instance of each kind per adapter name, taken
 * from the registries so that {@code resilience4j.circuitbreaker.instances.<adapter>.*},
 * {@code resilience4j.retry.instances.<adapter>.*} and {@code resilience4j.timelimiter.instances.<adapter>.*}
 * apply. An adapter without such an instance gets the defaults below, chosen for data sources
 * rather than Resilience4j's general ones (whose breaker needs 100 calls before it can open).
 *
 * <p>Order, outermost first: retry, circuit breaker, time limit. Every attempt counts in the
 * breaker; an open breaker ends the retry at once.
 */
public class Resilience4jAdapterResilience implements AdapterResilience {

	/** Retry: 3 attempts, exponential backoff from 100 ms (×2) with ±50% jitter, transient failures only. */
	public static final RetryConfig DEFAULT_RETRY = RetryConfig.custom()
		.maxAttempts(3)
		.intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5))
		.retryOnException(new TransientFailure())
		.build();

	/**
	 * Breaker: opens when half of the last 10 calls (at least 5) failed, stays open 30 s, then lets
	 * 2 calls probe. A caller's mistake the source answered ({@code InvalidInput}, a deliberate
	 * {@code ToolErrorException}) is not a failure of the source.
	 */
	public static final CircuitBreakerConfig DEFAULT_CIRCUIT_BREAKER = CircuitBreakerConfig.custom()
		.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
		.slidingWindowSize(10)
		.minimumNumberOfCalls(5)
		.failureRateThreshold(50)
		.waitDurationInOpenState(Duration.ofSeconds(30))
		.permittedNumberOfCallsInHalfOpenState(2)
		.ignoreException(Resilience4jAdapterResilience::isCallersMistake)
		.build();

	/** Time limit: 5 s per attempt; the attempt's thread is interrupted when it is over. */
	public static final TimeLimiterConfig DEFAULT_TIME_LIMITER = TimeLimiterConfig.custom()
		.timeoutDuration(Duration.ofSeconds(5))
		.cancelRunningFuture(true)
		.build();

	private final CircuitBreakerRegistry breakers;

	private final RetryRegistry retries;

	private final TimeLimiterRegistry timeLimiters;

	private final AdapterExecutor executor;

	private final Clock clock;

	private final Map<String, Guards> guards = new ConcurrentHashMap<>();

	private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();

	public Resilience4jAdapterResilience(CircuitBreakerRegistry breakers, RetryRegistry retries,
			TimeLimiterRegistry timeLimiters, AdapterExecutor executor) {
		this(breakers, retries, timeLimiters, executor, Clock.systemUTC());
	}

	Resilience4jAdapterResilience(CircuitBreakerRegistry breakers, RetryRegistry retries,
			TimeLimiterRegistry timeLimiters, AdapterExecutor executor, Clock clock) {
		this.breakers = breakers;
		this.retries = retries;
		this.timeLimiters = timeLimiters;
		this.executor = executor;
		this.clock = clock;
	}

	@Override
	public <T> T call(DataAdapter adapter, Callable<T> call) throws Exception {
		Guards guards = guards(adapter.name());
		Callable<T> limited = guards.timeLimiter().decorateFutureSupplier(() -> this.executor.submit(call));
		Callable<T> retried = Retry.decorateCallable(guards.retry(),
				CircuitBreaker.decorateCallable(guards.breaker(), limited));
		try {
			return retried.call();
		}
		catch (CallNotPermittedException ex) {
			throw new SourceSkippedException(adapter.name());
		}
	}

	@Override
	public Optional<Duration> blockedFor(String adapter) {
		CircuitBreaker breaker = guards(adapter).breaker();
		return switch (breaker.getState()) {
			case FORCED_OPEN -> Optional.of(waitInOpenState(breaker));
			case OPEN -> {
				Instant opened = this.openedAt.get(adapter);
				Duration left = (opened != null)
						? waitInOpenState(breaker).minus(Duration.between(opened, this.clock.instant()))
						: Duration.ZERO;
				yield (left.isNegative() || left.isZero()) ? Optional.empty() : Optional.of(left);
			}
			default -> Optional.empty();
		};
	}

	@Override
	public String breakerState(String adapter) {
		return guards(adapter).breaker().getState().name().toLowerCase(Locale.ROOT);
	}

	/** The breaker's state as Resilience4j numbers it (0 closed, 1 open, 2 half-open, …), for a gauge. */
	public int breakerStateOrder(String adapter) {
		return guards(adapter).breaker().getState().getOrder();
	}

	private static Duration waitInOpenState(CircuitBreaker breaker) {
		return Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
	}

	private Guards guards(String adapter) {
		return this.guards.computeIfAbsent(adapter, this::createGuards);
	}

	// An instance the application configured is already in its registry; otherwise ours is created.
	private Guards createGuards(String adapter) {
		CircuitBreaker breaker = this.breakers.find(adapter)
			.orElseGet(() -> this.breakers.circuitBreaker(adapter, DEFAULT_CIRCUIT_BREAKER));
		breaker.getEventPublisher().onStateTransition((event) -> {
			if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
				this.openedAt.put(adapter, this.clock.instant());
			}
		});
		Retry retry = this.retries.find(adapter).orElseGet(() -> this.retries.retry(adapter, DEFAULT_RETRY));
		TimeLimiter timeLimiter = this.timeLimiters.find(adapter)
			.orElseGet(() -> this.timeLimiters.timeLimiter(adapter, DEFAULT_TIME_LIMITER));
		return new Guards(breaker, retry, timeLimiter);
	}

	static boolean isCallersMistake(Throwable failure) {
		return failure instanceof InvalidInput || failure instanceof ToolErrorException;
	}

	private record Guards(CircuitBreaker breaker, Retry retry, TimeLimiter timeLimiter) {
	}

}
