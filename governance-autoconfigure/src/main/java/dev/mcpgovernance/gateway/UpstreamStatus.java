package dev.mcpgovernance.gateway;

import java.time.Instant;

/**
 * How one upstream looked at its last refresh, for health and the admin API. Names no upstream
 * internals: no URL, no error message.
 *
 * @param domain the upstream's scope domain
 * @param description what its tools are for; may be {@code null}
 * @param up whether its tool list was read at the last refresh
 * @param exposedTools how many of its tools this server exposes
 * @param breaker its circuit breaker's state ({@code closed}, {@code open}, … or {@code none})
 * @param lastRefresh when its tool list was last read or tried; {@code null} before the first refresh
 * @param lastError what went wrong at the last refresh ({@code unreachable}); {@code null} when it is up
 */
public record UpstreamStatus(String domain, String description, boolean up, int exposedTools, String breaker,
		Instant lastRefresh, String lastError) {
}
