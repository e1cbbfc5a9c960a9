package dev.mcpgovernance.ratelimit;

/** Where rate-limit buckets live. */
public enum RateLimitStore {

	/** In this JVM: exact on one replica; N replicas admit up to N times the limit. */
	MEMORY,

	/** In Redis, shared by every replica that points at it: exact across replicas. */
	REDIS

}
