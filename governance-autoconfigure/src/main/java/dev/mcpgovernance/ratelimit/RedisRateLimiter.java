package dev.mcpgovernance.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Buckets in Redis, shared by every replica, checked with one Lua script in one round trip
 * ({@link RedisRateLimitAlgorithm#SCRIPT}). The script ({@code rate-limit.lua} beside this class)
 * is GCRA: a bucket is the time at which it is full again, which is exactly the greedy-refill token
 * bucket of the memory store (full at first, {@code capacity} calls per period, refilled at
 * {@code capacity} per period), in whole microseconds of the Redis server's clock. It runs with
 * {@code EVALSHA}; when Redis does not hold it (first use, restart, {@code SCRIPT FLUSH}) it is sent
 * once with {@code EVAL}, which also loads it. Connection handling and failures as in
 * {@link RedisStoreConnection}.
 * <p>
 * A busy set of buckets is checked with leases ({@link RateLimitLeases}): a check that reaches
 * Redis may take a few calls more than its own, while every bucket stays at least half full, and the
 * next checks of the same buckets on this replica use them without a round trip. A lease lives a
 * short while; what it still holds then, or at shutdown, is given back.
 */
public class RedisRateLimiter implements RateLimiter, AutoCloseable {

	/** The text of the script. */
	static final String SCRIPT = script();

	private static final Log logger = LogFactory.getLog(RedisRateLimiter.class);

	private static final long ALLOWED = 1;

	/** The answer of {@code consume-first-then} when the first bucket allowed and another refused. */
	private static final long FIRST_ONLY = 2;

	private final RedisStoreConnection<String, String, RedisAsyncCommands<String, String>> redis;

	private final String keyPrefix;

	private final String script;

	private final String sha;

	private final RateLimitLeases leases;

	/** Gives back what ended leases hold; {@code null} without leases. */
	private final ScheduledExecutorService leaseExpiry;

	/** Without leases: every check is a round trip. */
	public RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout) {
		this(uri, keyPrefix, timeout, 1, Duration.ofMillis(100));
	}

	/**
	 * @param leaseMaxCalls the most calls a lease holds, counting the check that takes it; 1 for none
	 * @param leaseDuration how long a lease lives
	 */
	public RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout, int leaseMaxCalls,
			Duration leaseDuration) {
		this(uri, keyPrefix, timeout, SCRIPT, leaseMaxCalls, leaseDuration);
	}

	/** With another text of the script, for tests. */
	RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout, String script) {
		this(uri, keyPrefix, timeout, script, 1, Duration.ofMillis(100));
	}

	private RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout, String script, int leaseMaxCalls,
			Duration leaseDuration) {
		this.keyPrefix = keyPrefix;
		this.script = script;
		this.sha = sha1(script);
		this.redis = new RedisStoreConnection<>(uri, timeout, ExactUtf8Codec.INSTANCE, (connection) -> {
			connection.setTimeout(timeout);
			return connection.async();
		});
		this.leases = new RateLimitLeases(leaseMaxCalls, leaseDuration, System::nanoTime, this::giveBack);
		this.leaseExpiry = this.leases.enabled() ? leaseExpiry(this.leases, leaseDuration) : null;
	}

	private static ScheduledExecutorService leaseExpiry(RateLimitLeases leases, Duration every) {
		ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "mcp-governance-rate-limit-leases");
			thread.setDaemon(true);
			return thread;
		});
		long nanos = every.toNanos();
		expiry.scheduleWithFixedDelay(leases::expire, nanos, nanos, TimeUnit.NANOSECONDS);
		return expiry;
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		List<BucketLimit> buckets = List.of(new BucketLimit(key, limit));
		if (this.leases.tryTake(buckets)) {
			return RateLimitDecision.allow();
		}
		List<Long> answer = check("consume", buckets);
		return (answer.get(0) == ALLOWED) ? RateLimitDecision.allow()
				: RateLimitDecision.refuse(nanosToWait(answer.get(1), answer.get(2), limit));
	}

	/**
	 * Takes exactly one call, or says how many nanoseconds to wait for one: what the check is, before
	 * rounding, without leases.
	 */
	Probe probe(String key, RateLimit limit) {
		List<Long> answer = this.redis.call("check",
				(commands) -> run(commands, "consume", 1, List.of(new BucketLimit(key, limit))));
		return (answer.get(0) == ALLOWED) ? new Probe(true, 0)
				: new Probe(false, nanosToWait(answer.get(1), answer.get(2), limit));
	}

	/**
	 * One round trip: the script, asking for a lease's worth of calls when these buckets are busy;
	 * the calls granted beyond this check's own are held for the next checks.
	 */
	private List<Long> check(String operation, List<BucketLimit> buckets) {
		int calls = this.leases.callsToAskFor(buckets);
		List<Long> answer;
		try {
			answer = this.redis.call("check", (commands) -> run(commands, operation, calls, buckets));
		}
		catch (RateLimitStoreException ex) {
			this.leases.endAll();
			throw ex;
		}
		if (answer.get(0) == ALLOWED) {
			this.leases.granted(buckets, answer.get(1).intValue());
		}
		return answer;
	}

	/** The store's refund for what an ended lease holds; a failure loses those calls, never adds any. */
	private void giveBack(List<BucketLimit> buckets, int calls) {
		try {
			refund(buckets, calls);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not give back " + calls + " leased calls; the buckets get them back as they refill", ex);
		}
	}

	@Override
	public void refund(String key, RateLimit limit) {
		refundAll(List.of(new BucketLimit(key, limit)));
	}

	/** All the buckets in one script run: one round trip, and a refused call takes nothing from any. */
	@Override
	public MultiDecision tryConsumeAll(List<BucketLimit> buckets) {
		if (buckets.isEmpty()) {
			return MultiDecision.ALLOWED;
		}
		if (this.leases.tryTake(buckets)) {
			return MultiDecision.ALLOWED;
		}
		List<Long> answer = check("consume", buckets);
		if (answer.get(0) == ALLOWED) {
			return MultiDecision.ALLOWED;
		}
		int refused = refusedIndex(answer);
		return new MultiDecision(refused, refusal(answer, buckets.get(refused)));
	}

	/** The first bucket and then the others, in one script run: one round trip. */
	@Override
	public ChainedDecision tryConsumeFirstThenAll(BucketLimit first, List<BucketLimit> then) {
		if (then.isEmpty()) {
			return new ChainedDecision(tryConsume(first.key(), first.limit()), MultiDecision.ALLOWED);
		}
		List<BucketLimit> buckets = new ArrayList<>(1 + then.size());
		buckets.add(first);
		buckets.addAll(then);
		if (this.leases.tryTake(buckets)) {
			return new ChainedDecision(RateLimitDecision.allow(), MultiDecision.ALLOWED);
		}
		List<Long> answer = check("consume-first-then", buckets);
		long outcome = answer.get(0);
		if (outcome == ALLOWED) {
			return new ChainedDecision(RateLimitDecision.allow(), MultiDecision.ALLOWED);
		}
		int refused = refusedIndex(answer);
		RateLimitDecision decision = refusal(answer, buckets.get(refused));
		return (outcome == FIRST_ONLY)
				? new ChainedDecision(RateLimitDecision.allow(), new MultiDecision(refused - 1, decision))
				: new ChainedDecision(decision, null);
	}

	/** Every bucket in one script run. */
	@Override
	public void refundAll(List<BucketLimit> buckets) {
		if (!buckets.isEmpty()) {
			refund(buckets, 1);
		}
	}

	/** Gives {@code calls} calls back to every bucket, in one script run. */
	private void refund(List<BucketLimit> buckets, int calls) {
		this.redis.call("refund", (commands) -> run(commands, "refund", calls, buckets));
	}

	/** The index of the bucket a refusing answer names ({@code {0 or 2, us, rem, i}}, i from 1). */
	private static int refusedIndex(List<Long> answer) {
		return answer.get(3).intValue() - 1;
	}

	/** The refusal of a refusing answer, by the wait it names for {@code bucket}. */
	private static RateLimitDecision refusal(List<Long> answer, BucketLimit bucket) {
		return RateLimitDecision.refuse(nanosToWait(answer.get(1), answer.get(2), bucket.limit()));
	}

	/** Sends the script by its digest, and its text when Redis does not hold it; the answer's future. */
	private CompletionStage<List<Long>> run(RedisAsyncCommands<String, String> commands, String operation,
			int calls, List<BucketLimit> buckets) {
		String[] keys = new String[buckets.size()];
		String[] arguments = new String[2 + 4 * buckets.size()];
		arguments[0] = operation;
		arguments[1] = Integer.toString(calls);
		for (int i = 0; i < buckets.size(); i++) {
			RateLimit limit = buckets.get(i).limit();
			long periodMicros = micros(limit.period());
			keys[i] = bucketKey(this.keyPrefix, buckets.get(i).key(), limit);
			arguments[2 + 4 * i] = Long.toString(limit.capacity());
			arguments[3 + 4 * i] = Long.toString(periodMicros);
			arguments[4 + 4 * i] = Long.toString(periodMicros / limit.capacity());
			arguments[5 + 4 * i] = Long.toString(periodMicros % limit.capacity());
		}
		CompletionStage<List<Long>> answer = commands.evalsha(this.sha, ScriptOutputType.MULTI, keys, arguments);
		return answer.exceptionallyCompose((failure) -> (unwrapped(failure) instanceof RedisNoScriptException)
				? commands.<List<Long>>eval(this.script, ScriptOutputType.MULTI, keys, arguments)
				: CompletableFuture.failedFuture(failure));
	}

	private static Throwable unwrapped(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * The wait the script answered, {@code micros + rest / capacity} microseconds, in nanoseconds
	 * rounded down: what Bucket4j's greedy bucket of the memory store says in the same state.
	 */
	static long nanosToWait(long micros, long rest, RateLimit limit) {
		return micros * 1000 + rest * 1000 / limit.capacity();
	}

	/** The key of a bucket, the same for both algorithms: {@code <prefix><key>|<limit>}. */
	static String bucketKey(String keyPrefix, String key, RateLimit limit) {
		return keyPrefix + key + "|" + limit.key();
	}

	/** A period in whole microseconds, at least one (the periods of configured limits are whole seconds). */
	static long micros(Duration period) {
		return Math.max(1, period.getSeconds() * 1_000_000 + period.getNano() / 1_000);
	}

	/** Starts opening the connection now rather than on the first check. */
	void connectInBackground() {
		this.redis.connectInBackground();
	}

	/** The Lettuce client, for tests that listen to the commands it sends. */
	RedisClient client() {
		return this.redis.client();
	}

	/** The leases: for their metrics, and tests. */
	RateLimitLeases leases() {
		return this.leases;
	}

	/** Gives back what the leases hold, then closes the connection. */
	@Override
	public void close() {
		if (this.leaseExpiry != null) {
			this.leaseExpiry.shutdownNow();
			try {
				this.leaseExpiry.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.leases.giveBackAll();
		}
		this.redis.close();
	}

	private static String script() {
		try (InputStream in = RedisRateLimiter.class.getResourceAsStream("rate-limit.lua")) {
			if (in == null) {
				throw new IllegalStateException("rate-limit.lua is missing beside " + RedisRateLimiter.class.getName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String sha1(String script) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is part of every Java platform", ex);
		}
	}

	/** Whether a check took a call, and if not, how long until it would. */
	record Probe(boolean consumed, long nanosToWait) {
	}

}
