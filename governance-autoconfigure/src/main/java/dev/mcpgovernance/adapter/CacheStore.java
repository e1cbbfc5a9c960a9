package dev.mcpgovernance.adapter;

/** Where the response cache lives. */
public enum CacheStore {

	/** A Caffeine cache in this JVM. */
	MEMORY,

	/** Redis, shared by every replica (connection from {@code spring.data.redis.*}). */
	REDIS

}
