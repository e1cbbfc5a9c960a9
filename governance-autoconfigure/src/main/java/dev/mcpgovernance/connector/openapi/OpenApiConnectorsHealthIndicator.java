package dev.mcpgovernance.connector.openapi;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Each connector's API as its recent calls found it: its data adapter's circuit breaker state, the
 * calls in a row that found it unreachable or answering 5xx, and the last such error. It stays UP (the server itself is fine, and a
 * flaky API must not get it restarted); dashboards and alerts read the details.
 */
public class OpenApiConnectorsHealthIndicator extends AbstractHealthIndicator {

	private final OpenApiConnectors connectors;

	public OpenApiConnectorsHealthIndicator(OpenApiConnectors connectors) {
		super("OpenAPI connectors health check failed");
		this.connectors = connectors;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up();
		this.connectors.statuses().forEach((name, status) -> {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("adapter", status.adapter().name());
			details.put("circuit_breaker", this.connectors.breakerState(name));
			details.put("consecutive_failures", status.consecutiveFailures());
			if (status.lastError() != null) {
				details.put("last_error", status.lastError());
			}
			builder.withDetail(name, details);
		});
	}

}
