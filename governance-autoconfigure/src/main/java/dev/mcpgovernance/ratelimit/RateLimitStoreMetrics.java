package dev.mcpgovernance.ratelimit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code mcp.governance.rate-limit.store.failures} (checks Redis did not answer),
 * {@code mcp.governance.rate-limit.store.unavailable} (1 while Redis is unreachable) and, with the
 * script algorithm, {@code mcp.governance.rate-limit.store.leased-checks} (checks answered from a
 * lease, without a round trip) and {@code mcp.governance.rate-limit.store.leased-calls} (calls the
 * leases hold now).
 */
class RateLimitStoreMetrics implements MeterBinder {

	private final FailoverRateLimiter limiter;

	public RateLimitStoreMetrics(FailoverRateLimiter limiter) {
		this.limiter = limiter;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("mcp.governance.rate-limit.store.failures", this.limiter, FailoverRateLimiter::storeFailures)
			.description("Rate-limit checks the shared store failed to answer")
			.register(registry);
		Gauge.builder("mcp.governance.rate-limit.store.unavailable", this.limiter,
				(limiter) -> limiter.isStoreUnavailable() ? 1 : 0)
			.description("1 while the shared rate-limit store is unreachable")
			.register(registry);
		if (this.limiter.shared() instanceof RedisRateLimiter redis) {
			RateLimitLeases leases = redis.leases();
			FunctionCounter.builder("mcp.governance.rate-limit.store.leased-checks", leases, RateLimitLeases::checksAnswered)
				.description("Rate-limit checks answered from a lease of calls taken earlier, without a round trip")
				.register(registry);
			Gauge.builder("mcp.governance.rate-limit.store.leased-calls", leases, RateLimitLeases::held)
				.description("Calls this replica's leases took from the shared buckets and have not used yet")
				.register(registry);
		}
	}

}
