package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.ratelimit.RateLimiter.BucketLimit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a lease follows demand, on a clock the test moves: when a check asks the store for more than
 * its own call, how long what it got is used, and that everything held is given back once.
 */
class RateLimitLeasesTests {

	private static final Duration LIFE = Duration.ofMillis(100);

	private static final List<BucketLimit> BUSY = List.of(new BucketLimit("rpm:key", RateLimit.valueOf("100000/min")),
			new BucketLimit("tool:key", RateLimit.valueOf("100000/min")));

	private long now = 1_000_000_000L;

	private final List<String> givenBack = new ArrayList<>();

	private final RateLimitLeases leases = new RateLimitLeases(16, LIFE, () -> this.now,
			(buckets, calls) -> this.givenBack.add(buckets.get(0).key() + "=" + calls));

	@Test
	void aFirstCheckAsksForItsOwnCallOnly() {
		assertThat(this.leases.callsToAskFor(BUSY)).isOne();
		assertThat(this.leases.tryTake(BUSY)).isFalse();
	}

	@Test
	void leasesGrowWhileEachRunsOutBeforeItEndsUpToTheMaximum() {
		List<Integer> asked = new ArrayList<>();
		for (int check = 0; check < 200; check++) {
			if (!this.leases.tryTake(BUSY)) {
				int calls = this.leases.callsToAskFor(BUSY);
				asked.add(calls);
				this.leases.granted(BUSY, calls);
			}
			advance(1);
		}
		// 1, 1, 2, 4, 8 for the first 16 checks, then 16 at a time: 200 checks, 17 round trips.
		assertThat(asked).startsWith(1, 1, 2, 4, 8, 16, 16).hasSize(17);
		assertThat(asked.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(200);
	}

	@Test
	void aLeaseIsNoLargerThanASixteenthOfTheSmallestBucket() {
		List<BucketLimit> small = List.of(new BucketLimit("rpm:key", RateLimit.valueOf("100000/min")),
				new BucketLimit("tool:key", RateLimit.valueOf("64/min")));
		List<BucketLimit> tiny = List.of(new BucketLimit("rpm:other", RateLimit.valueOf("15/min")));
		for (int check = 0; check < 50; check++) {
			for (List<BucketLimit> buckets : List.of(small, tiny)) {
				if (!this.leases.tryTake(buckets)) {
					this.leases.granted(buckets, this.leases.callsToAskFor(buckets));
				}
			}
			advance(1);
		}
		assertThat(this.leases.callsToAskFor(small)).isEqualTo(4);
		// Below sixteen calls per period, no leases at all.
		assertThat(this.leases.callsToAskFor(tiny)).isOne();
		assertThat(this.leases.held(tiny)).isZero();
	}

	@Test
	void whatALeaseHoldsIsUsedOnlyWhileItLivesAndThenGivenBackOnce() {
		growTo(16);
		this.leases.granted(BUSY, 16);
		assertThat(this.leases.held(BUSY)).isEqualTo(15);
		assertThat(this.leases.tryTake(BUSY)).isTrue();
		advance(99);
		assertThat(this.leases.tryTake(BUSY)).isTrue();
		advance(1);
		// Ended: its 13 calls are no longer used, and the next expiry run gives them back.
		assertThat(this.leases.tryTake(BUSY)).isFalse();
		this.leases.expire();
		this.leases.expire();
		assertThat(this.givenBack).containsExactly("rpm:key=13");
		// It ended with calls left: the next one is half as large.
		assertThat(this.leases.callsToAskFor(BUSY)).isEqualTo(8);
	}

	@Test
	void aLeaseThatEndedIsGivenBackEvenWhenANewOneIsGrantedFirst() {
		growTo(16);
		this.leases.granted(BUSY, 16);
		advance(150);
		this.leases.granted(BUSY, 4);
		assertThat(this.leases.held(BUSY)).isEqualTo(3);
		this.leases.expire();
		assertThat(this.givenBack).containsExactly("rpm:key=15");
		assertThat(this.leases.held(BUSY)).isEqualTo(3);
	}

	@Test
	void twoChecksThatMissedTogetherHoldBothGrantsUntilTheEarlierEnd() {
		growTo(16);
		this.leases.granted(BUSY, 16);
		advance(60);
		this.leases.granted(BUSY, 16);
		assertThat(this.leases.held(BUSY)).isEqualTo(30);
		advance(40);
		assertThat(this.leases.tryTake(BUSY)).isFalse();
		this.leases.expire();
		assertThat(this.givenBack).containsExactly("rpm:key=30");
	}

	@Test
	void aSetOfBucketsUnusedForAWhileStartsAgainFromOneCallAndIsForgotten() {
		growTo(16);
		this.leases.granted(BUSY, 16);
		advance(250);
		this.leases.expire();
		assertThat(this.givenBack).containsExactly("rpm:key=15");
		assertThat(this.leases.callsToAskFor(BUSY)).isOne();
		assertThat(this.leases.sets()).isOne();
		advance(100);
		this.leases.expire();
		assertThat(this.leases.sets()).isZero();
		assertThat(this.givenBack).hasSize(1);
	}

	@Test
	void shutdownGivesBackEveryLeaseEndedOrNot() {
		List<BucketLimit> other = List.of(new BucketLimit("rpm:other", RateLimit.valueOf("100000/min")));
		growTo(16);
		this.leases.granted(BUSY, 16);
		this.leases.granted(other, 1);
		advance(10);
		this.leases.granted(other, 1);
		this.leases.granted(other, 2);
		this.leases.giveBackAll();
		assertThat(this.givenBack).containsExactlyInAnyOrder("rpm:key=15", "rpm:other=1");
		assertThat(this.leases.tryTake(BUSY)).isFalse();
		this.leases.expire();
		assertThat(this.givenBack).hasSize(2);
	}

	@Test
	void afterAStoreFailureNoLeaseAnswersAndWhatTheyHeldIsGivenBack() {
		growTo(16);
		this.leases.granted(BUSY, 16);
		this.leases.endAll();
		assertThat(this.leases.tryTake(BUSY)).isFalse();
		assertThat(this.leases.held(BUSY)).isZero();
		this.leases.expire();
		assertThat(this.givenBack).containsExactly("rpm:key=15");
		// A check that reaches the store again takes a new lease, as large as demand had made it.
		this.leases.granted(BUSY, 16);
		assertThat(this.leases.tryTake(BUSY)).isTrue();
	}

	@Test
	void oneCallAtMostMeansNoLeases() {
		RateLimitLeases off = new RateLimitLeases(1, LIFE, () -> this.now, (buckets, calls) -> this.givenBack.add("any"));
		assertThat(off.enabled()).isFalse();
		for (int check = 0; check < 20; check++) {
			assertThat(off.tryTake(BUSY)).isFalse();
			assertThat(off.callsToAskFor(BUSY)).isOne();
			off.granted(BUSY, 1);
		}
		off.expire();
		off.giveBackAll();
		assertThat(this.givenBack).isEmpty();
	}

	/** Checks of BUSY, each lease used up at once, until the next check asks for {@code calls}. */
	private void growTo(int calls) {
		while (this.leases.callsToAskFor(BUSY) < calls) {
			while (this.leases.tryTake(BUSY)) {
				// use up what the lease holds
			}
			this.leases.granted(BUSY, this.leases.callsToAskFor(BUSY));
			advance(1);
		}
		while (this.leases.tryTake(BUSY)) {
			// use up what the lease holds
		}
	}

	private void advance(long millis) {
		this.now += TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
