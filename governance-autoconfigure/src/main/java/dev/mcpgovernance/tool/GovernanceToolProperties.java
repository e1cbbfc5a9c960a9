package dev.mcpgovernance.tool;

import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** How governed tools are intercepted. */
@ConfigurationProperties(prefix = GovernanceToolProperties.PREFIX)
public class GovernanceToolProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".tools";

	/**
	 * Order of the @GovernedTool aspect among the application's aspects. The default puts it
	 * outside Resilience4j's, so that a refused call never reaches a retry or a circuit breaker.
	 */
	private int aspectOrder = GovernedToolAspect.DEFAULT_ORDER;

	public int getAspectOrder() {
		return this.aspectOrder;
	}

	public void setAspectOrder(int aspectOrder) {
		this.aspectOrder = aspectOrder;
	}

}
