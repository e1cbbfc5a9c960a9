package dev.mcpgovernance.adapter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The response cache of adapter calls ({@link Cached}). */
@ConfigurationProperties(prefix = GovernanceCacheProperties.PREFIX)
@Validated
public class GovernanceCacheProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".cache";

	/** Whether answers of adapter calls made with Cached are cached. */
	private boolean enabled = true;

	/** Where the cache lives: memory (this JVM) or redis (shared by every replica). */
	@NotNull
	private CacheStore store = CacheStore.MEMORY;

	/** Time to live of the entries of a namespace that namespaces does not list. */
	@NotNull
	private Duration defaultTtl = Duration.ofSeconds(60);

	/** Settings per namespace, e.g. namespaces.order.ttl=5m. */
	private Map<String, @Valid Namespace> namespaces = new LinkedHashMap<>();

	@Valid
	private final Memory memory = new Memory();

	@Valid
	private final Redis redis = new Redis();

	/** The time to live of {@code namespace}'s entries. */
	public Duration ttlOf(String namespace) {
		Namespace settings = this.namespaces.get(namespace);
		return (settings != null && settings.getTtl() != null) ? settings.getTtl() : this.defaultTtl;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public CacheStore getStore() {
		return this.store;
	}

	public void setStore(CacheStore store) {
		this.store = store;
	}

	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	public Map<String, Namespace> getNamespaces() {
		return this.namespaces;
	}

	public void setNamespaces(Map<String, Namespace> namespaces) {
		this.namespaces = namespaces;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/** One namespace of the cache. */
	public static class Namespace {

		/** Time to live of this namespace's entries; default-ttl when unset. */
		private Duration ttl;

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/** The memory store. */
	public static class Memory {

		/** Most entries per namespace; past it the least recently used are dropped. */
		@Positive
		private long maxEntries = 10_000;

		public long getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(long maxEntries) {
			this.maxEntries = maxEntries;
		}

	}

	/** The redis store. The connection comes from spring.data.redis.*. */
	public static class Redis {

		/** Prefix of every cache key in Redis; give each application sharing a Redis its own. */
		@NotBlank
		private String keyPrefix = "mcp-governance:cache:";

		/** How long after a Redis failure calls skip the cache (and ask the sources) before trying Redis again. */
		@NotNull
		private Duration retryInterval = Duration.ofSeconds(5);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

	}

}
