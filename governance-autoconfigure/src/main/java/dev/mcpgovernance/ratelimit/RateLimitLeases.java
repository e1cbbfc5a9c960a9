package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import dev.mcpgovernance.ratelimit.RateLimiter.BucketLimit;

/**
 * Calls a replica took from the shared buckets ahead of time, for the next checks of the same
 * buckets, so that a busy caller does not cost a round trip to Redis per call. What a lease holds was
 * taken from Redis like any call: the replicas together never allow more calls than the buckets gave
 * out, and what a lease still holds when it ends is given back.
 * <p>
 * A lease is for one set of buckets (a caller's rpm and a tool call's buckets, say) and lives for
 * {@code duration}. Its size follows demand: the first check of a set asks for one call (no lease),
 * and each time a lease ran out before it ended, the next asks for twice as many, up to
 * {@code maxCalls} and to a sixteenth of the smallest bucket's capacity; a lease that ended with
 * calls left halves it. The store grants more than one call only while every bucket stays at least
 * half full, so that near a limit every check is decided by Redis, as without leases.
 */
final class RateLimitLeases {

	/** Gives calls back to a set of buckets: the store's refund of {@code calls} calls from each. */
	@FunctionalInterface
	interface GiveBack {

		void giveBack(List<BucketLimit> buckets, int calls);

	}

	private final int maxCalls;

	private final long durationNanos;

	private final LongSupplier nanoClock;

	private final GiveBack giveBack;

	private final Map<List<BucketLimit>, Lease> leases = new ConcurrentHashMap<>();

	private final LongAdder checksAnswered = new LongAdder();

	/**
	 * @param maxCalls the most calls a lease holds, counting the check that takes it; 1 for no leases
	 * @param duration how long a lease lives
	 * @param nanoClock {@link System#nanoTime} but in tests
	 * @param giveBack the store's refund, for the calls an ended lease still holds
	 */
	RateLimitLeases(int maxCalls, Duration duration, LongSupplier nanoClock, GiveBack giveBack) {
		this.maxCalls = maxCalls;
		this.durationNanos = duration.toNanos();
		this.nanoClock = nanoClock;
		this.giveBack = giveBack;
	}

	/** Whether leases are on: a lease can hold more than the call that takes it. */
	boolean enabled() {
		return this.maxCalls > 1;
	}

	/** Takes one call from a live lease of these buckets; {@code false} when none holds a call. */
	boolean tryTake(List<BucketLimit> buckets) {
		if (!enabled()) {
			// Without leases the map stays empty: spare every check the hash of its buckets.
			return false;
		}
		Lease lease = this.leases.get(buckets);
		if (lease != null && lease.tryTake(this.nanoClock.getAsLong())) {
			this.checksAnswered.increment();
			return true;
		}
		return false;
	}

	/** Checks answered from a lease, without a round trip, since start. */
	long checksAnswered() {
		return this.checksAnswered.sum();
	}

	/** The calls all leases hold now, taken from the buckets and not used yet. */
	long held() {
		long held = 0;
		for (Lease lease : this.leases.values()) {
			held += lease.held();
		}
		return held;
	}

	/** How many calls the next check of these buckets asks the store for: its own and the lease's. */
	int callsToAskFor(List<BucketLimit> buckets) {
		if (!enabled()) {
			return 1;
		}
		Lease lease = this.leases.get(buckets);
		return (lease != null) ? lease.callsToAskFor(this.nanoClock.getAsLong()) : 1;
	}

	/**
	 * A check of these buckets was allowed with {@code calls} calls taken from each: one is the
	 * check's own, the others are held for the next checks.
	 */
	void granted(List<BucketLimit> buckets, int calls) {
		if (!enabled()) {
			return;
		}
		long now = this.nanoClock.getAsLong();
		// compute, not get: atomic with expire()'s removal, so no call is granted to a forgotten lease.
		// The key is a copy: the caller's list may change after the check.
		this.leases.compute(List.copyOf(buckets), (key, lease) -> {
			Lease granted = (lease != null) ? lease : new Lease(cap(key));
			granted.granted(now, calls);
			return granted;
		});
	}

	/**
	 * Gives back what ended leases hold and forgets leases unused for a while, which bounds the map
	 * by the sets of buckets checked lately. Run every {@code duration}.
	 */
	void expire() {
		long now = this.nanoClock.getAsLong();
		this.leases.forEach((buckets, lease) -> {
			int left = lease.end(now);
			if (left > 0) {
				giveBack(buckets, left);
			}
			this.leases.computeIfPresent(buckets, (key, current) -> current.idle(now) ? null : current);
		});
	}

	/**
	 * Ends every lease now: after a store failure, so that no check is answered from a lease until
	 * Redis answers again (a check answered from a lease would otherwise pass for Redis answering).
	 * What they held is given back by the next {@link #expire} that reaches Redis.
	 */
	void endAll() {
		long now = this.nanoClock.getAsLong();
		this.leases.values().forEach((lease) -> lease.endNow(now));
	}

	/** Gives back what every lease holds, ended or not: on shutdown. */
	void giveBackAll() {
		this.leases.forEach((buckets, lease) -> {
			int left = lease.takeAll();
			if (left > 0) {
				giveBack(buckets, left);
			}
		});
		this.leases.clear();
	}

	/** The calls the leases of these buckets hold now, for tests. */
	int held(List<BucketLimit> buckets) {
		Lease lease = this.leases.get(buckets);
		return (lease != null) ? lease.held() : 0;
	}

	/** The most calls a lease holds, for tests. */
	int maxCalls() {
		return this.maxCalls;
	}

	/** How long a lease lives, for tests. */
	Duration duration() {
		return Duration.ofNanos(this.durationNanos);
	}

	/** The sets of buckets with a lease, ended or not, for tests. */
	int sets() {
		return this.leases.size();
	}

	private void giveBack(List<BucketLimit> buckets, int calls) {
		this.giveBack.giveBack(buckets, calls);
	}

	/** The most calls a lease of these buckets may hold: maxCalls, and a sixteenth of the smallest. */
	private int cap(List<BucketLimit> buckets) {
		long smallest = Long.MAX_VALUE;
		for (BucketLimit bucket : buckets) {
			smallest = Math.min(smallest, bucket.limit().capacity());
		}
		return (int) Math.max(1, Math.min(this.maxCalls, smallest / 16));
	}

	/** One set of buckets' lease: what it holds, until when, and how many calls the next one asks for. */
	private final class Lease {

		private final int cap;

		private int held;

		/** Calls of an ended lease, still to be given back by {@link #expire}. */
		private int ended;

		private long endsAt;

		private int size = 1;

		private Lease(int cap) {
			this.cap = cap;
		}

		synchronized boolean tryTake(long now) {
			if (this.held > 0 && now - this.endsAt < 0) {
				this.held--;
				return true;
			}
			return false;
		}

		synchronized int callsToAskFor(long now) {
			// Unused for a whole lease's time: demand is gone, start again from one.
			return (now - this.endsAt >= RateLimitLeases.this.durationNanos) ? 1 : this.size;
		}

		synchronized void granted(long now, int calls) {
			boolean live = now - this.endsAt < 0;
			if (live && this.held > 0) {
				// Another check of the same buckets took a lease meanwhile: hold both, until the
				// earlier end, so that no call is held longer than a lease lives.
				this.held += calls - 1;
				return;
			}
			if (live) {
				// The lease ran out before it ended: demand is higher than its size.
				this.size = Math.min(this.size * 2, this.cap);
			}
			this.ended += this.held;
			this.held = calls - 1;
			this.endsAt = now + RateLimitLeases.this.durationNanos;
		}

		/** Ends the lease when its time is over; the calls to give back. */
		synchronized int end(long now) {
			if (now - this.endsAt >= 0 && this.held > 0) {
				// It ended with calls left: it was larger than demand.
				this.size = Math.max(1, this.size / 2);
				this.ended += this.held;
				this.held = 0;
			}
			int left = this.ended;
			this.ended = 0;
			return left;
		}

		synchronized void endNow(long now) {
			if (now - this.endsAt < 0) {
				this.endsAt = now;
			}
			this.ended += this.held;
			this.held = 0;
		}

		synchronized int takeAll() {
			int left = this.held + this.ended;
			this.held = 0;
			this.ended = 0;
			return left;
		}

		synchronized boolean idle(long now) {
			return this.held == 0 && this.ended == 0 && now - this.endsAt >= 2 * RateLimitLeases.this.durationNanos;
		}

		synchronized int held() {
			return this.held;
		}

	}

}
