package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The Redis store with its failure policy. While Redis answers, every check goes there. When it
 * fails, checks go to this replica's own buckets ({@link OnStoreFailure#LOCAL}) or are refused
 * ({@link OnStoreFailure#DENY}) for {@code retryInterval}; then one check tries Redis again while the
 * others keep following the policy (none waits for that probe), so the store recovers by itself when
 * Redis returns. Health and metrics read the state here.
 */
public class FailoverRateLimiter implements RateLimiter, AutoCloseable {

	private static final Log logger = LogFactory.getLog(FailoverRateLimiter.class);

	private final RateLimiter shared;

	private final LocalRateLimiter local;

	private final OnStoreFailure policy;

	private final long retryIntervalNanos;

	private final AtomicLong failures = new AtomicLong();

	private volatile boolean unavailable;

	private final AtomicLong retryAtNanos = new AtomicLong();

	private volatile Instant unavailableSince;

	public FailoverRateLimiter(RateLimiter shared, LocalRateLimiter local, OnStoreFailure policy,
			Duration retryInterval) {
		this.shared = shared;
		this.local = local;
		this.policy = policy;
		this.retryIntervalNanos = retryInterval.toNanos();
	}

	@Override
	public RateLimitDecision tryConsume(String key, RateLimit limit) {
		return check((limiter) -> limiter.tryConsume(key, limit), (denied) -> denied);
	}

	@Override
	public MultiDecision tryConsumeAll(List<BucketLimit> buckets) {
		if (buckets.isEmpty()) {
			return MultiDecision.ALLOWED;
		}
		return check((limiter) -> limiter.tryConsumeAll(buckets), (denied) -> new MultiDecision(0, denied));
	}

	@Override
	public ChainedDecision tryConsumeFirstThenAll(BucketLimit first, List<BucketLimit> then) {
		return check((limiter) -> limiter.tryConsumeFirstThenAll(first, then),
				(denied) -> new ChainedDecision(denied, null));
	}

	/**
	 * One check on the shared store while it answers (or its retry interval is over), else by the
	 * policy: this replica's own buckets, or refused until the store is tried again.
	 */
	private <T> T check(Function<RateLimiter, T> check, Function<RateLimitDecision, T> denied) {
		if (mayTryShared()) {
			try {
				T decision = check.apply(this.shared);
				recovered();
				return decision;
			}
			catch (RateLimitStoreException ex) {
				failed(ex);
			}
		}
		if (this.policy == OnStoreFailure.DENY) {
			return denied.apply(RateLimitDecision.refuse(Math.max(this.retryAtNanos.get() - System.nanoTime(), 0)));
		}
		return check.apply(this.local);
	}

	/**
	 * While the store answers, every check tries it. Once it failed, one check per retry interval
	 * does (the one that moves the retry time on): a stopped Redis costs that one check the timeout,
	 * not every check that arrives while it waits.
	 */
	private boolean mayTryShared() {
		if (!this.unavailable) {
			return true;
		}
		long retryAt = this.retryAtNanos.get();
		long now = System.nanoTime();
		return now - retryAt >= 0 && this.retryAtNanos.compareAndSet(retryAt, now + this.retryIntervalNanos);
	}

	@Override
	public void refund(String key, RateLimit limit) {
		refundAll(List.of(new BucketLimit(key, limit)));
	}

	@Override
	public void refundAll(List<BucketLimit> buckets) {
		if (!this.unavailable) {
			try {
				this.shared.refundAll(buckets);
				return;
			}
			catch (RateLimitStoreException ex) {
				failed(ex);
			}
		}
		this.local.refundAll(buckets);
	}

	/** The shared store, for tests that listen to what it sends. */
	RateLimiter shared() {
		return this.shared;
	}

	/** Whether the last attempt to reach the shared store failed. */
	public boolean isStoreUnavailable() {
		return this.unavailable;
	}

	/** Since when the shared store is unavailable; {@code null} while it answers. */
	public Instant unavailableSince() {
		return this.unavailableSince;
	}

	/** How many checks the shared store failed to answer since start-up. */
	public long storeFailures() {
		return this.failures.get();
	}

	public OnStoreFailure policy() {
		return this.policy;
	}

	@Override
	public void close() throws Exception {
		if (this.shared instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	private void failed(RateLimitStoreException ex) {
		this.failures.incrementAndGet();
		this.retryAtNanos.set(System.nanoTime() + this.retryIntervalNanos);
		if (!this.unavailable) {
			this.unavailable = true;
			this.unavailableSince = Instant.now();
			// The cause names the store and the failure, never a caller or a key.
			logger.warn("Rate-limit store unavailable (" + ex.getCause() + "); "
					+ ((this.policy == OnStoreFailure.LOCAL) ? "enforcing this replica's own limits"
							: "refusing calls")
					+ " until it answers again");
		}
	}

	private void recovered() {
		if (this.unavailable) {
			this.unavailable = false;
			this.unavailableSince = null;
			this.local.clear();
			logger.info("Rate-limit store available again; limits are shared across replicas");
		}
	}

}
