package dev.mcpgovernance.tool;

import java.util.Locale;

/** How a tool call ended, as the audit trail and the metrics name it. */
public enum CallOutcome {

	OK, DENIED, RATE_LIMITED, INVALID_INPUT, SOURCE_UNAVAILABLE, ERROR;

	/** The value stored and tagged: {@code ok}, {@code rate_limited}, … */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The outcome of a call that ended with {@code code}. */
	public static CallOutcome of(ToolErrorCode code) {
		return switch (code) {
			case UNAUTHENTICATED, FORBIDDEN -> DENIED;
			case RATE_LIMITED -> RATE_LIMITED;
			case INVALID_INPUT -> INVALID_INPUT;
			case SOURCE_UNAVAILABLE -> SOURCE_UNAVAILABLE;
			case TOOL_NOT_FOUND, UPSTREAM_ERROR, INTERNAL_ERROR -> ERROR;
		};
	}

}
