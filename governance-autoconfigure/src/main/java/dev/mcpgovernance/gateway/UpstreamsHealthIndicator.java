package dev.mcpgovernance.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Each upstream MCP server as the last refresh found it. DOWN only when upstreams are configured and
 * none answers (the gateway then serves none of their tools); one upstream down leaves it UP, with
 * that upstream's details saying so, since restarting this server would not bring it back.
 */
class UpstreamsHealthIndicator extends AbstractHealthIndicator {

	private final McpGateway gateway;

	UpstreamsHealthIndicator(McpGateway gateway) {
		super("Upstream MCP servers health check failed");
		this.gateway = gateway;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<UpstreamStatus> statuses = this.gateway.statuses();
		boolean allDown = !statuses.isEmpty() && statuses.stream().noneMatch(UpstreamStatus::up);
		if (allDown) {
			builder.down();
		}
		else {
			builder.up();
		}
		for (UpstreamStatus status : statuses) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", status.up() ? "up" : "down");
			details.put("tools", status.exposedTools());
			details.put("breaker", status.breaker());
			if (status.description() != null) {
				details.put("description", status.description());
			}
			if (status.lastRefresh() != null) {
				details.put("last_refresh", status.lastRefresh().toString());
			}
			if (status.lastError() != null) {
				details.put("last_error", status.lastError());
			}
			builder.withDetail(status.domain(), details);
		}
	}

}
