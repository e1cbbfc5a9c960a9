package dev.mcpgovernance.ratelimit;

/** The shared store of buckets could not answer a check. */
public class RateLimitStoreException extends RuntimeException {

	public RateLimitStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
