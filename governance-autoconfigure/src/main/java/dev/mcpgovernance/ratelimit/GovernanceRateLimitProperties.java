package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/** Rate limits and call budgets of MCP Governance. */
@ConfigurationProperties(prefix = GovernanceRateLimitProperties.PREFIX)
@Validated
public class GovernanceRateLimitProperties {

	public static final String PREFIX = "mcp.governance.rate-limit";

	/** Whether rate limits and call budgets are enforced. */
	private boolean enabled = true;

	/**
	 * Requests per minute on the MCP endpoint for a caller whose API key sets no rate-limit-rpm. Every
	 * POST (one JSON-RPC message) counts; a refused one gets HTTP 429 with Retry-After.
	 */
	@Positive
	private int defaultRpm = 60;

	/**
	 * Tool calls each caller may make per period over all tools, e.g. "10000/day"; a call beyond it
	 * is refused with the rate_limited tool error. No budget when unset.
	 */
	private RateLimit budget;

	/**
	 * Calls of a tool each caller may make, keyed by the tool's required scope, e.g.
	 * tools[orders:order:cancel]=10/min. Overrides @GovernedTool(rateLimit).
	 */
	private Map<String, RateLimit> tools = new LinkedHashMap<>();

	/**
	 * Calls of a tool all callers together may make, keyed by the tool's required scope, e.g.
	 * global-tools[orders:order:cancel]=100/min. Overrides @GovernedTool(globalRateLimit).
	 */
	private Map<String, RateLimit> globalTools = new LinkedHashMap<>();

	/** Where the buckets live: memory (this JVM only) or redis (shared by every replica). */
	@NotNull
	private RateLimitStore store = RateLimitStore.MEMORY;

	/**
	 * What the redis store does while Redis cannot be reached: local (this replica's own limits, with
	 * a warning in health and a metric) or deny (refuse every call that needs a check).
	 */
	@NotNull
	private OnStoreFailure onStoreFailure = OnStoreFailure.LOCAL;

	@Valid
	private final Memory memory = new Memory();

	@Valid
	private final Redis redis = new Redis();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getDefaultRpm() {
		return this.defaultRpm;
	}

	public void setDefaultRpm(int defaultRpm) {
		this.defaultRpm = defaultRpm;
	}

	public RateLimit getBudget() {
		return this.budget;
	}

	public void setBudget(RateLimit budget) {
		this.budget = budget;
	}

	public Map<String, RateLimit> getTools() {
		return this.tools;
	}

	public void setTools(Map<String, RateLimit> tools) {
		this.tools = tools;
	}

	public Map<String, RateLimit> getGlobalTools() {
		return this.globalTools;
	}

	public void setGlobalTools(Map<String, RateLimit> globalTools) {
		this.globalTools = globalTools;
	}

	public RateLimitStore getStore() {
		return this.store;
	}

	public void setStore(RateLimitStore store) {
		this.store = store;
	}

	public OnStoreFailure getOnStoreFailure() {
		return this.onStoreFailure;
	}

	public void setOnStoreFailure(OnStoreFailure onStoreFailure) {
		this.onStoreFailure = onStoreFailure;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/** The memory store (also the redis store's local fallback). */
	public static class Memory {

		/**
		 * Most buckets held at once. Past it the least recently used are forgotten, which bounds the
		 * heap whatever the number of callers (a forgotten bucket starts full again).
		 */
		@Positive
		private long maxBuckets = 100_000;

		public long getMaxBuckets() {
			return this.maxBuckets;
		}

		public void setMaxBuckets(long maxBuckets) {
			this.maxBuckets = maxBuckets;
		}

	}

	/** The redis store. The connection comes from spring.data.redis.* (standalone Redis). */
	public static class Redis {

		/**
		 * How a check reaches Redis: script (one Lua script, at most one round trip per check, on the
		 * Redis server's clock) or bucket4j (Bucket4j's Lettuce compare-and-swap: a GET per check and an
		 * EVAL more when it takes a call; needs com.bucket4j:bucket4j_jdk17-lettuce). The two write different values under
		 * the same keys: script counts a Bucket4j bucket as full, bucket4j fails on a script bucket
		 * (a store failure), so change the key prefix when going from script to bucket4j.
		 */
		@NotNull
		private RedisRateLimitAlgorithm algorithm = RedisRateLimitAlgorithm.SCRIPT;

		/** Prefix of every bucket key in Redis; give each application sharing a Redis its own. */
		@NotBlank
		private String keyPrefix = "mcp-governance:rate-limit:";

		/**
		 * The longest a check waits for Redis, connecting and commands together, before it counts as a
		 * store failure and the failure policy answers; it holds whatever Redis does (down, stopped,
		 * slow, or dropping connections).
		 */
		@NotNull
		@DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
		private Duration timeout = Duration.ofMillis(500);

		/**
		 * How long after a store failure checks skip Redis; then one check tries it again (the others
		 * keep following the failure policy), which is how the store recovers by itself.
		 */
		@NotNull
		private Duration retryInterval = Duration.ofSeconds(5);

		@Valid
		private final Lease lease = new Lease();

		public RedisRateLimitAlgorithm getAlgorithm() {
			return this.algorithm;
		}

		public void setAlgorithm(RedisRateLimitAlgorithm algorithm) {
			this.algorithm = algorithm;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public Lease getLease() {
			return this.lease;
		}

	}

	/**
	 * Leases of the script algorithm: a check that reaches Redis for a busy set of buckets takes a few
	 * calls more than its own, while every bucket stays at least half full, and this replica's next
	 * checks of the same buckets use them without a round trip. Replicas together never allow more
	 * than the buckets give out; what a lease still holds when it ends, or at shutdown, is given back.
	 */
	public static class Lease {

		/**
		 * The most calls a lease holds, counting the check that takes it, and at most a sixteenth of
		 * the smallest bucket's capacity. 1 turns leases off: every check is a round trip to Redis.
		 */
		@Min(1)
		@Max(1024)
		private int maxCalls = 16;

		/**
		 * How long a lease lives before what it holds is given back. Over any stretch of time, a
		 * bucket may allow up to this long's worth of refill more than without leases (calls taken
		 * just before the stretch and used in it).
		 */
		@NotNull
		@DurationMin(millis = 1)
		@DurationMax(seconds = 10)
		private Duration duration = Duration.ofMillis(100);

		public int getMaxCalls() {
			return this.maxCalls;
		}

		public void setMaxCalls(int maxCalls) {
			this.maxCalls = maxCalls;
		}

		public Duration getDuration() {
			return this.duration;
		}

		public void setDuration(Duration duration) {
			this.duration = duration;
		}

	}

}
