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

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Buckets in Redis, shared by every replica, checked with one Lua script in one round trip
 * ({@link RedisRateLimitAlgorithm#SCRIPT}). The script ({@code rate-limit.lua} beside this class)
 * is GCRA: a bucket is the time at which it is full again, which is exactly the greedy-refill token
 * bucket of the memory store (full at first, {@code capacity} calls per period, refilled at
 * {@code capacity} per period), in whole microseconds of the Redis server's clock. It runs with
 * {@code EVALSHA}; when Redis does not hold it (first use, restart, {@code SCRIPT FLUSH}) it is sent
 * once with {@code EVAL}, which also loads it. Connection handling and failures as in
 * {@link RedisStoreConnection}.
 */
public class RedisRateLimiter implements RateLimiter, AutoCloseable {

	/** The text of the script. */
	static final String SCRIPT = script();

	private static final long ALLOWED = 1;

	/** The answer of {@code consume-first-then} when the first bucket allowed and another refused. */
	private static final long FIRST_ONLY = 2;

	private final RedisStoreConnection<String, String, RedisAsyncCommands<String, String>> redis;

	private final String keyPrefix;

	private final String script;

	private final String sha;

	public RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout) {
		this(uri, keyPrefix, timeout, SCRIPT);
	}

	/** With another text of the script, for tests. */
	RedisRateLimiter(RedisURI uri, String keyPrefix, Duration timeout, String script) {
		this.keyPrefix = keyPrefix;
		this.script = script;
		this.sha = sha1(script);
		this.redis = new RedisStoreConnection<>(uri, timeout, ExactUtf8Codec.INSTANCE, (connection) -> {
			connection.setTimeout(timeout);
			return connection.async();
		});
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		Probe probe = probe(key, limit);
		return probe.consumed() ? RateLimitDecision.allow() : RateLimitDecision.refuse(probe.nanosToWait());
	}

	/** Takes one call, or says how many nanoseconds to wait for one: what the check is, before rounding. */
	Probe probe(String key, RateLimit limit) {
		List<Long> answer = this.redis.call("check",
				(commands) -> run(commands, "consume", List.of(new BucketLimit(key, limit))));
		return (answer.get(0) == ALLOWED) ? new Probe(true, 0)
				: new Probe(false, nanosToWait(answer.get(1), answer.get(2), limit));
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
		List<Long> answer = this.redis.call("check", (commands) -> run(commands, "consume", buckets));
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
		List<Long> answer = this.redis.call("check", (commands) -> run(commands, "consume-first-then", buckets));
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
			this.redis.call("refund", (commands) -> run(commands, "refund", buckets));
		}
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
			List<BucketLimit> buckets) {
		String[] keys = new String[buckets.size()];
		String[] arguments = new String[1 + 4 * buckets.size()];
		arguments[0] = operation;
		for (int i = 0; i < buckets.size(); i++) {
			RateLimit limit = buckets.get(i).limit();
			long periodMicros = micros(limit.period());
			keys[i] = bucketKey(this.keyPrefix, buckets.get(i).key(), limit);
			arguments[1 + 4 * i] = Long.toString(limit.capacity());
			arguments[2 + 4 * i] = Long.toString(periodMicros);
			arguments[3 + 4 * i] = Long.toString(periodMicros / limit.capacity());
			arguments[4 + 4 * i] = Long.toString(periodMicros % limit.capacity());
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

	@Override
	public void close() {
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
