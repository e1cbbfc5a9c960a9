package dev.mcpgovernance.security;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** The HTTP side of MCP Governance: the filter chain on the MCP endpoints. */
@ConfigurationProperties(prefix = GovernanceSecurityProperties.PREFIX)
@Validated
public class GovernanceSecurityProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".security";

	/**
	 * Whether to register the starter's own security filter chains for the MCP endpoints (the
	 * governance chain, and the filterless one for the async dispatches that finish streamed
	 * answers). Turn it off only when the application composes McpGovernanceConfigurer into its own
	 * chain.
	 */
	private boolean chain = true;

	/**
	 * Whether a tools/call by an OAuth caller lacking the tool's scope is answered with HTTP 403 and an
	 * insufficient_scope challenge (step-up), rather than the forbidden tool error.
	 */
	private boolean stepUp = true;

	/**
	 * Whether an application with no security of its own keeps its other paths as they were: the
	 * starter then answers them with a chain without filters, ahead of Spring Boot's default chain,
	 * which would otherwise require a login on every path once the starter brings Spring Security.
	 * Set it to false to get Spring Boot's default chain for every path the starter does not cover.
	 */
	private boolean leaveOtherPaths = true;

	/** Largest JSON-RPC request body accepted on the MCP endpoints; larger ones get 413. */
	@NotNull
	private DataSize maxRequestSize = DataSize.ofKilobytes(256);

	public boolean isChain() {
		return this.chain;
	}

	public void setChain(boolean chain) {
		this.chain = chain;
	}

	public boolean isStepUp() {
		return this.stepUp;
	}

	public void setStepUp(boolean stepUp) {
		this.stepUp = stepUp;
	}

	public boolean isLeaveOtherPaths() {
		return this.leaveOtherPaths;
	}

	public void setLeaveOtherPaths(boolean leaveOtherPaths) {
		this.leaveOtherPaths = leaveOtherPaths;
	}

	public DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

}
