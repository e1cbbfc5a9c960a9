package dev.mcpgovernance.session;

import java.util.Locale;

/**
 * Why a request was refused a session. The first three get the same answer as an unknown session;
 * they differ only in the metrics and, for a mismatch, the audit trail.
 */
public enum Refusal {

	/** The session belongs to another caller. */
	MISMATCH,

	/** No such session. */
	UNKNOWN,

	/** The session ended lately: idle, its credential's validity ended, or its key was revoked. */
	ENDED,

	/** The caller already holds as many sessions as it may. */
	CALLER_LIMIT,

	/** The server already holds as many sessions as it may. */
	TOTAL_LIMIT;

	/** The value tagged on the metric: {@code mismatch}, {@code caller_limit}, … */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
