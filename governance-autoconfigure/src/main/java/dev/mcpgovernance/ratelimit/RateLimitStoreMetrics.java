package dev.mcpgovernance.ratelimit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code mcp.governance.rate-limit.store.failures} (checks Redis did not answer) and
 * {@code mcp.governance.rate-limit.store.unavailable} (1 while Redis is unreachable).
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
	}

}
