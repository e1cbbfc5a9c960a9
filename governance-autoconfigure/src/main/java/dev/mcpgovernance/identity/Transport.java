package dev.mcpgovernance.identity;

import java.util.Locale;

/** How a caller reached the server; recorded with every decision. */
public enum Transport {

	HTTP, STDIO;

	/** The lower-case name used in audit records and metrics tags. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
