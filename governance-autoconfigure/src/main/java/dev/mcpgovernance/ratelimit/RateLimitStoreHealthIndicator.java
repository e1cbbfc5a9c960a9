package dev.mcpgovernance.ratelimit;

import java.util.Locale;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The state of the shared rate-limit store. While Redis is unreachable under the {@code local}
 * policy the status stays UP with a warning: the replica still serves, with limits of its own, and
 * taking every replica out of the load balancer over a Redis blip would be worse. Under {@code deny}
 * it is DOWN, since the replica then refuses every call.
 */
class RateLimitStoreHealthIndicator extends AbstractHealthIndicator {

	private final FailoverRateLimiter limiter;

	public RateLimitStoreHealthIndicator(FailoverRateLimiter limiter) {
		super("Rate-limit store health check failed");
		this.limiter = limiter;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("store", "redis")
			.withDetail("onStoreFailure", this.limiter.policy().name().toLowerCase(Locale.ROOT))
			.withDetail("failures", this.limiter.storeFailures());
		if (!this.limiter.isStoreUnavailable()) {
			builder.up();
			return;
		}
		builder.withDetail("unavailableSince", this.limiter.unavailableSince());
		if (this.limiter.policy() == OnStoreFailure.DENY) {
			builder.down().withDetail("warning", "Redis is unreachable; calls are refused until it answers");
		}
		else {
			builder.up()
				.withDetail("warning",
						"Redis is unreachable; each replica enforces its own limits until it answers (N replicas admit up to N times a limit)");
		}
	}

}
