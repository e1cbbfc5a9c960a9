package dev.mcpgovernance.ratelimit;

/** What the Redis store does while Redis cannot be reached. */
public enum OnStoreFailure {

	/** Keep serving with this replica's own buckets until Redis returns; health and metrics say so. */
	LOCAL,

	/** Refuse every call that needs a limit check until Redis returns. */
	DENY

}
