package dev.mcpgovernance.adapter;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Per adapter (tags {@code adapter}, {@code group}): {@code mcp.governance.adapter.calls} with
 * {@code outcome} success, failure or skipped (breaker open); {@code mcp.governance.adapter.available}
 * (1 while calls go to it); and, with Resilience4j, {@code mcp.governance.adapter.breaker.state}
 * (0 closed, 1 open, 2 half-open, 3 disabled, 4 forced open, 5 metrics only). Resilience4j's own
 * meters ({@code resilience4j.circuitbreaker.*}, {@code resilience4j.retry.*}) come on top.
 */
class DataAdapterMetrics implements MeterBinder {

	private final DataSourceManager manager;

	public DataAdapterMetrics(DataSourceManager manager) {
		this.manager = manager;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		AdapterResilience resilience = this.manager.resilience();
		for (AdapterState state : this.manager.states()) {
			String name = state.adapter().name();
			Tags tags = Tags.of("adapter", name, "group", state.adapter().group());
			counter(registry, state, tags, "success", AdapterState::successes);
			counter(registry, state, tags, "failure", AdapterState::failures);
			counter(registry, state, tags, "skipped", AdapterState::skippedCalls);
			Gauge.builder("mcp.governance.adapter.available", resilience,
					(guard) -> guard.blockedFor(name).isEmpty() ? 1 : 0)
				.tags(tags)
				.description("1 while calls go to this data adapter, 0 while its circuit breaker is open")
				.register(registry);
			if (resilience instanceof Resilience4jAdapterResilience resilience4j) {
				Gauge.builder("mcp.governance.adapter.breaker.state", resilience4j,
						(guard) -> guard.breakerStateOrder(name))
					.tags(tags)
					.description("Circuit breaker state of this data adapter: 0 closed, 1 open, 2 half-open")
					.register(registry);
			}
		}
	}

	private static void counter(MeterRegistry registry, AdapterState state, Tags tags, String outcome,
			ToDoubleFunction<AdapterState> count) {
		FunctionCounter.builder("mcp.governance.adapter.calls", state, count)
			.tags(tags.and("outcome", outcome))
			.description("Calls of a data adapter made through the data-source manager")
			.register(registry);
	}

}
