package dev.mcpgovernance.session;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** MCP sessions (streamable HTTP and legacy SSE): whom they belong to and how many may be open. */
@ConfigurationProperties(prefix = GovernanceSessionProperties.PREFIX)
@Validated
public class GovernanceSessionProperties {

	public static final String PREFIX = "mcp.governance.sessions";

	/**
	 * Whether a session is bound to the caller that opened it, and ended with the caller's
	 * credential, and whether max-per-caller is enforced. Switched off, anyone who learns a session id
	 * can use that session; the streamable transport still applies idle-timeout and max-total.
	 */
	private boolean enabled = true;

	/**
	 * How long a session may go without a request before it ends (its event stream is closed). The
	 * streamable transport evicts its own idle sessions after the same time plus at most a second.
	 * Must be longer than the transport's keep-alive interval when one is set.
	 */
	@NotNull
	@DurationMin(seconds = 1)
	private Duration idleTimeout = Duration.ofMinutes(30);

	/**
	 * Most sessions one caller (one API key, one token subject, one capability root and subject)
	 * may hold open. Asking for another is refused with HTTP 429 until one is deleted or expires.
	 */
	@Positive
	private int maxPerCaller = 32;

	/**
	 * Most sessions open on this server at once, over all callers. Asking for another is refused
	 * with HTTP 503.
	 */
	@Positive
	private int maxTotal = 10_000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public int getMaxPerCaller() {
		return this.maxPerCaller;
	}

	public void setMaxPerCaller(int maxPerCaller) {
		this.maxPerCaller = maxPerCaller;
	}

	public int getMaxTotal() {
		return this.maxTotal;
	}

	public void setMaxTotal(int maxTotal) {
		this.maxTotal = maxTotal;
	}

}
