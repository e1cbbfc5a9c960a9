package dev.mcpgovernance.audit;

import dev.mcpgovernance.redaction.Redactor;

/**
 * The free text of an audit record (owner label, tool name, data source, ids): at most
 * {@link #MAX_TEXT} characters, and where a caller or configuration can influence it, redacted
 * first. Shared by every writer of records, so that all of them bound and redact alike.
 */
public final class AuditText {

	/** The longest text a record keeps in one field. */
	public static final int MAX_TEXT = 200;

	private AuditText() {
	}

	/** The value redacted (when there is a redactor) and bounded; {@code null} stays {@code null}. */
	public static String redacted(Redactor redactor, String value) {
		if (value == null) {
			return null;
		}
		return bounded((redactor != null) ? redactor.redactText(value) : value);
	}

	/** The value cut to {@link #MAX_TEXT} characters; {@code null} stays {@code null}. */
	public static String bounded(String value) {
		return (value != null && value.length() > MAX_TEXT) ? value.substring(0, MAX_TEXT) : value;
	}

}
