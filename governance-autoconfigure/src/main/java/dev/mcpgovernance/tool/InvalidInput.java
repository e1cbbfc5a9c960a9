package dev.mcpgovernance.tool;

/**
 * Thrown by a tool handler when the caller's arguments are wrong. The message is shown to the
 * caller as the {@code invalid_input} error, so write it for them and keep values out of it.
 */
public class InvalidInput extends RuntimeException {

	private final String field;

	public InvalidInput(String message) {
		this(null, message);
	}

	/** @param field the argument at fault, named in {@code details.field} */
	public InvalidInput(String field, String message) {
		super(message, null, false, false);
		this.field = field;
	}

	/** The argument at fault, or {@code null}. */
	public String field() {
		return this.field;
	}

}
