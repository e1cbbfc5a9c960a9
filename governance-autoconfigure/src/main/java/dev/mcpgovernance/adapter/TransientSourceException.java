package dev.mcpgovernance.adapter;

/**
 * A failure of a source that is worth retrying soon, such as HTTP 503 or a dropped connection.
 * Adapters throw it (or an {@link java.io.IOException}) so that the retry tries again; any other
 * failure moves on to the next source at once. See {@link TransientFailure}.
 */
public class TransientSourceException extends RuntimeException {

	public TransientSourceException(String message) {
		super(message);
	}

	public TransientSourceException(String message, Throwable cause) {
		super(message, cause);
	}

}
