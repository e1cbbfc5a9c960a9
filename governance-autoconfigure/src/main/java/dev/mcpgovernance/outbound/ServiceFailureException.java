package dev.mcpgovernance.outbound;

import dev.mcpgovernance.tool.ToolError;

/**
 * The service answered, with a failure of its own (an HTTP 5xx, say). Unlike a
 * {@link dev.mcpgovernance.tool.ToolErrorException}, which is the caller's mistake, it counts against
 * the service's circuit breaker (and, inside a {@link dev.mcpgovernance.adapter.TransientSourceException},
 * is retried); once {@link RemoteCalls} is done with it, the caller gets the error it carries.
 */
public class ServiceFailureException extends RuntimeException {

	private final transient ToolError error;

	/** @param error what the caller gets, worded for them: nothing of the service's answer but its status */
	public ServiceFailureException(ToolError error) {
		super(error.message(), null, false, false);
		this.error = error;
	}

	/** What the caller gets. */
	public ToolError error() {
		return this.error;
	}

}
