package dev.mcpgovernance.tool;

import java.time.Duration;
import java.util.Optional;

/**
 * No data source could answer: every source of the call is down or its circuit breaker is open.
 * The caller gets the {@code source_unavailable} error, with {@code details.retry_after_s} when it
 * is known when a source will be tried again. The message is for logs only and never shown.
 */
public class SourceUnavailableException extends RuntimeException {

	private final transient Duration retryAfter;

	public SourceUnavailableException(String message) {
		this(message, null);
	}

	/** @param retryAfter when a source will be tried again; {@code null} when unknown */
	public SourceUnavailableException(String message, Duration retryAfter) {
		super(message, null, false, false);
		this.retryAfter = retryAfter;
	}

	/** When a source will be tried again, if known. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
