package dev.mcpgovernance.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/** The Bucket4j shape of a {@link RateLimit}: full at first, refilled greedily over its period. */
final class Bandwidths {

	private Bandwidths() {
	}

	static BucketConfiguration configuration(RateLimit limit) {
		return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
	}

	static Bandwidth bandwidth(RateLimit limit) {
		// Greedy refill: a limit of 60/min gives back one call a second rather than 60 at the minute,
		// so a caller cannot spend two periods' worth across a period boundary.
		return Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build();
	}

}
