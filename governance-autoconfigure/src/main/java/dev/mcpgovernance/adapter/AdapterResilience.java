package dev.mcpgovernance.adapter;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Circuit breaker, retry and time limit around each call of a source.
 * {@link Resilience4jAdapterResilience} is the one the starter configures; {@link #NONE} calls the
 * source directly (when Resilience4j is not on the classpath).
 */
public interface AdapterResilience {

	/** Calls the source directly, with no breaker, retry or time limit. */
	AdapterResilience NONE = new AdapterResilience() {

		@Override
		public <T> T call(DataAdapter adapter, Callable<T> call) throws Exception {
			return call.call();
		}

		@Override
		public Optional<Duration> blockedFor(String adapter) {
			return Optional.empty();
		}

		@Override
		public String breakerState(String adapter) {
			return "none";
		}

	};

	/**
	 * Runs one call of {@code adapter} under its protections.
	 * @throws SourceSkippedException when its breaker does not let the call through
	 */
	<T> T call(DataAdapter adapter, Callable<T> call) throws Exception;

	/**
	 * How long the source's breaker keeps refusing calls; empty when it lets them through now. An
	 * open breaker whose wait is over counts as letting them through (the next call probes it).
	 */
	Optional<Duration> blockedFor(String adapter);

	/** The breaker's state for health and metrics: {@code closed}, {@code open}, {@code half_open}, … or {@code none}. */
	String breakerState(String adapter);

}
