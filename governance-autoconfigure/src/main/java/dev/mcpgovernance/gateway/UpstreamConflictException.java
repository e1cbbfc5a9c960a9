package dev.mcpgovernance.gateway;

/**
 * An upstream cannot be added or removed through the admin API because of another one: its domain
 * is taken, or it is declared in configuration. The message names the domain, nothing else.
 */
public class UpstreamConflictException extends RuntimeException {

	public UpstreamConflictException(String message) {
		super(message);
	}

}
