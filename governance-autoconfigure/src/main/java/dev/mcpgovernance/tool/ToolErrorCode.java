package dev.mcpgovernance.tool;

import java.util.Locale;

/** The closed set of {@code error_code} values a caller can see. */
public enum ToolErrorCode {

	UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, INVALID_INPUT, SOURCE_UNAVAILABLE, TOOL_NOT_FOUND, UPSTREAM_ERROR,
	INTERNAL_ERROR;

	/** The value on the wire: {@code invalid_input}, {@code forbidden}, … */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
