package dev.mcpgovernance.observability;

import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Metrics, traces, health and info of MCP Governance. */
@ConfigurationProperties(prefix = GovernanceObservabilityProperties.PREFIX)
public class GovernanceObservabilityProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".observability";

	/**
	 * Whether every tool call is observed (Micrometer Observation: timer mcp.governance.tool.calls,
	 * a trace span, trace ids in the tool-call event) and counted (denials, rate limits, errors).
	 */
	private boolean enabled = true;

	/**
	 * Whether to add the health group 'mcp-governance' (rate-limit store, audit, adapters and, when
	 * governance uses Redis, redis), unless the application configures a group of that name itself.
	 */
	private boolean healthGroup = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isHealthGroup() {
		return this.healthGroup;
	}

	public void setHealthGroup(boolean healthGroup) {
		this.healthGroup = healthGroup;
	}

}
