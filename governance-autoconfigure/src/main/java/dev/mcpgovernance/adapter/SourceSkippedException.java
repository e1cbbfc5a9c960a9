package dev.mcpgovernance.adapter;

/**
 * A source was not called at all because its circuit breaker is open; the manager moves on to the
 * next source at once, without counting a failure.
 */
public class SourceSkippedException extends RuntimeException {

	public SourceSkippedException(String adapter) {
		super("Circuit breaker of data adapter '" + adapter + "' is open", null, false, false);
	}

}
