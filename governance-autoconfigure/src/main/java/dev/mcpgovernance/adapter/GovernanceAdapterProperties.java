package dev.mcpgovernance.adapter;

import java.time.Duration;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Data adapters and their failover. Circuit breakers, retries and time limits are configured per
 * adapter name with the usual {@code resilience4j.*} properties.
 */
@ConfigurationProperties(prefix = GovernanceAdapterProperties.PREFIX)
@Validated
public class GovernanceAdapterProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".adapters";

	/** Whether the data-source manager, with its failover, cache, health and metrics, is configured. */
	private boolean enabled = true;

	/** How long a source whose last call failed is tried after the other sources of its group. */
	@NotNull
	private Duration recentFailureWindow = Duration.ofSeconds(30);

	/** How often each source's health check runs, in the background, while its group is being called. */
	@NotNull
	private Duration healthCheckInterval = Duration.ofSeconds(30);

	/** How long the health endpoint waits for one source's health check before it counts the source as down. */
	@NotNull
	private Duration healthCheckTimeout = Duration.ofSeconds(2);

	@Valid
	private final Executor executor = new Executor();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getRecentFailureWindow() {
		return this.recentFailureWindow;
	}

	public void setRecentFailureWindow(Duration recentFailureWindow) {
		this.recentFailureWindow = recentFailureWindow;
	}

	public Duration getHealthCheckInterval() {
		return this.healthCheckInterval;
	}

	public void setHealthCheckInterval(Duration healthCheckInterval) {
		this.healthCheckInterval = healthCheckInterval;
	}

	public Duration getHealthCheckTimeout() {
		return this.healthCheckTimeout;
	}

	public void setHealthCheckTimeout(Duration healthCheckTimeout) {
		this.healthCheckTimeout = healthCheckTimeout;
	}

	public Executor getExecutor() {
		return this.executor;
	}

	/** The threads adapter calls run on, so that a time limit can cut off a source that hangs. */
	public static class Executor {

		/** Most adapter calls and health checks running at once. */
		@Positive
		private int maxThreads = 32;

		/** Most calls waiting for a thread; past it a call fails over at once. */
		@Positive
		private int queueCapacity = 64;

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

}
