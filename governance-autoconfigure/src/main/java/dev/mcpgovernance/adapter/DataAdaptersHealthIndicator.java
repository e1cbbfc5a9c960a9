package dev.mcpgovernance.adapter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The data sources, per adapter: available, last health check, breaker state, calls and failures.
 * DOWN when some group has no source that answers (every breaker open, or every health check
 * failing); a group that lost its primary but still has a fallback is UP, since calls are answered.
 */
class DataAdaptersHealthIndicator extends AbstractHealthIndicator {

	private final DataSourceManager manager;

	public DataAdaptersHealthIndicator(DataSourceManager manager) {
		super("Data adapters health check failed");
		this.manager = manager;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<AdapterHealth> summary = this.manager.healthSummary();
		Map<String, Boolean> groupAnswers = new LinkedHashMap<>();
		Map<String, Object> adapters = new LinkedHashMap<>();
		for (AdapterHealth adapter : summary) {
			boolean answers = adapter.available() && !Boolean.FALSE.equals(adapter.healthy());
			groupAnswers.merge(adapter.group(), answers, Boolean::logicalOr);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("group", adapter.group());
			details.put("status", answers ? "UP" : "DOWN");
			details.put("available", adapter.available());
			details.put("healthCheck", (adapter.healthy() == null) ? "unknown" : adapter.healthy() ? "up" : "down");
			details.put("circuitBreaker", adapter.breakerState());
			details.put("successes", adapter.successes());
			details.put("failures", adapter.failures());
			details.put("skipped", adapter.skipped());
			if (adapter.lastFailure() != null) {
				details.put("lastFailure", adapter.lastFailure().toString());
			}
			adapters.put(adapter.name(), details);
		}
		builder.withDetail("adapters", adapters);
		List<String> down = groupAnswers.entrySet().stream().filter((group) -> !group.getValue()).map(Map.Entry::getKey).toList();
		if (down.isEmpty()) {
			builder.up();
		}
		else {
			builder.down().withDetail("groupsWithoutSource", down);
		}
	}

}
