package dev.mcpgovernance.identity;

import java.util.Locale;

/**
 * How a caller reached the server; recorded with every decision. {@link #CAPABILITY} marks a caller
 * verified by a capability token, over HTTP or STDIO alike.
 */
public enum Transport {

	HTTP, STDIO, CAPABILITY;

	/** The lower-case name used in audit records and metrics tags. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
