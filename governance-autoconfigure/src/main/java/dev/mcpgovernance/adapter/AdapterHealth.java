package dev.mcpgovernance.adapter;

import java.time.Instant;

/**
 * The state of one source, as {@link DataSourceManager#healthSummary()} reports it.
 *
 * @param name the adapter's name
 * @param group its group
 * @param available whether calls go to it now (its breaker lets them through)
 * @param healthy the result of its last health check; {@code null} before the first
 * @param breakerState {@code closed}, {@code open}, {@code half_open}, … or {@code none}
 * @param successes calls it answered
 * @param failures calls that failed (each call counted once, however many attempts it took)
 * @param skipped calls that passed it by because its breaker was open
 * @param lastFailure when a call last failed; {@code null} if none has
 */
public record AdapterHealth(String name, String group, boolean available, Boolean healthy, String breakerState,
		long successes, long failures, long skipped, Instant lastFailure) {
}
