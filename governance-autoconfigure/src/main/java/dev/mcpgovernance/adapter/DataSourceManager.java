package dev.mcpgovernance.adapter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.InvalidInput;
import dev.mcpgovernance.tool.SourceUnavailableException;
import dev.mcpgovernance.tool.ToolErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The sources of every group, and the one call a tool needs: try them in order, fail over, and say
 * which one answered.
 *
 * <pre>
 * Order order = manager.call("orders", OrderSource.class, (source) -&gt; source.find(id));
 * </pre>
 *
 * Order of the sources: those whose circuit breaker is open are left out; the others are tried
 * healthy before reported-down, not-recently-failed before recently-failed, and otherwise in their
 * declared order ({@code @Order}). A source that failed moves back to its place once
 * {@code recent-failure-window} has passed or it answered again. When no source answers, the call
 * ends with {@link SourceUnavailableException} (the {@code source_unavailable} tool error). The
 * source that answered, and whether the cache did, go into the call's audit record.
 */
public class DataSourceManager {

	private static final Log logger = LogFactory.getLog(DataSourceManager.class);

	private final Map<String, List<AdapterState>> groups = new LinkedHashMap<>();

	private final Map<String, AdapterState> states = new LinkedHashMap<>();

	private final AdapterResilience resilience;

	private final AdapterExecutor executor;

	private final ResponseCache cache;

	private final CacheKeys cacheKeys;

	private final Settings settings;

	private final Clock clock;

	/**
	 * @param adapters every source, in declared order
	 * @param cache where answers are cached; {@code null} for no cache
	 * @param json writes cache key parts as JSON before they are hashed
	 */
	public DataSourceManager(List<? extends DataAdapter> adapters, AdapterResilience resilience,
			AdapterExecutor executor, ResponseCache cache, ObjectMapper json, Settings settings) {
		this(adapters, resilience, executor, cache, new CacheKeys(json), settings, Clock.systemUTC());
	}

	DataSourceManager(List<? extends DataAdapter> adapters, AdapterResilience resilience, AdapterExecutor executor,
			ResponseCache cache, CacheKeys cacheKeys, Settings settings, Clock clock) {
		this.resilience = resilience;
		this.executor = executor;
		this.cache = cache;
		this.cacheKeys = cacheKeys;
		this.settings = settings;
		this.clock = clock;
		for (DataAdapter adapter : adapters) {
			AdapterState state = new AdapterState(adapter);
			if (this.states.putIfAbsent(adapter.name(), state) != null) {
				throw new GovernanceConfigurationException("Two data adapters are named '" + adapter.name() + "'.",
						"Give each DataAdapter a name of its own: it names its circuit breaker, retry and metrics.");
			}
			this.groups.computeIfAbsent(adapter.group(), (group) -> new ArrayList<>()).add(state);
		}
	}

	/**
	 * The sources of {@code group} as {@code type}, to call again and again (keep it in a field).
	 * @throws IllegalArgumentException when the group has no sources, or one that is not a {@code type}
	 */
	public <A extends DataAdapter> DataSourceGroup<A> group(String group, Class<A> type) {
		List<AdapterState> members = this.groups.get(group);
		if (members == null) {
			throw new IllegalArgumentException("No data adapter is in group '" + group + "'; there are " + groups());
		}
		for (AdapterState member : members) {
			if (!type.isInstance(member.adapter())) {
				throw new IllegalArgumentException("Data adapter '" + member.adapter().name() + "' of group '" + group
						+ "' is not a " + type.getName());
			}
		}
		return new DataSourceGroup<>(this, group, type);
	}

	/** Calls the sources of {@code group} in order until one answers; see {@link DataSourceGroup#call(AdapterCall)}. */
	public <A extends DataAdapter, T> T call(String group, Class<A> type, AdapterCall<A, T> call) {
		return group(group, type).call(call);
	}

	public Set<String> groups() {
		return this.groups.keySet();
	}

	/** The sources of {@code group} that calls go to now, in the order they are tried. */
	public List<DataAdapter> availableAdapters(String group) {
		return available(group).stream().map(AdapterState::adapter).toList();
	}

	/** Counts an answer of a source called outside {@link #call}: it moves back to its place in the order. */
	public void recordSuccess(String adapter) {
		state(adapter).success(this.clock.instant());
	}

	/**
	 * Counts a failure of a source called outside {@link #call}: it is tried after the others for a
	 * while. (Its circuit breaker counts only calls made through the manager.)
	 */
	public void recordFailure(String adapter, Throwable failure) {
		state(adapter).failure(this.clock.instant());
		// The type only: messages of drivers and HTTP clients quote queries and values.
		logger.warn("Data adapter '" + adapter + "' failed with " + failure.getClass().getName());
	}

	/** Every source's state, after a fresh health check of each (bounded by {@code health-check-timeout}). */
	public List<AdapterHealth> healthSummary() {
		Instant now = this.clock.instant();
		Map<AdapterState, Future<Boolean>> checks = new LinkedHashMap<>();
		for (AdapterState state : this.states.values()) {
			if (state.claimHealthCheck(now, Duration.ZERO)) {
				checks.put(state, submitHealthCheck(state));
			}
		}
		checks.forEach(this::awaitHealthCheck);
		List<AdapterHealth> summary = new ArrayList<>();
		for (AdapterState state : this.states.values()) {
			String name = state.adapter().name();
			summary.add(new AdapterHealth(name, state.adapter().group(), this.resilience.blockedFor(name).isEmpty(),
					state.healthy(), this.resilience.breakerState(name), state.successes(), state.failures(),
					state.skippedCalls(), state.lastFailure()));
		}
		return summary;
	}

	<A extends DataAdapter, T> T call(String group, Class<A> type, Cached<T> cached, AdapterCall<A, T> call) {
		CallerIdentity caller = GovernanceContext.caller().orElse(null);
		if (cached == null || this.cache == null || caller == null) {
			// No caller, no cache: whose rights the entry would carry is unknown.
			CachedAnswer<T> answer = failover(group, type, call);
			GovernanceContext.recordDataSource(answer.source(), false);
			return answer.value();
		}
		String key = this.cacheKeys.key(cached, caller);
		Optional<CachedAnswer<T>> hit = this.cache.get(cached.namespace(), key, cached.type());
		if (hit.isPresent()) {
			GovernanceContext.recordDataSource(hit.get().source(), true);
			return hit.get().value();
		}
		CachedAnswer<T> answer = failover(group, type, call);
		GovernanceContext.recordDataSource(answer.source(), false);
		if (answer.value() != null) {
			this.cache.put(cached.namespace(), key, answer);
		}
		return answer.value();
	}

	private <A extends DataAdapter, T> CachedAnswer<T> failover(String group, Class<A> type, AdapterCall<A, T> call) {
		for (AdapterState state : available(group)) {
			DataAdapter adapter = state.adapter();
			A typed = type.cast(adapter);
			try {
				T value = this.resilience.call(adapter, GovernanceContext.propagate(() -> call.apply(typed)));
				state.success(this.clock.instant());
				return new CachedAnswer<>(adapter.name(), value);
			}
			catch (InvalidInput | ToolErrorException answeredForTheCaller) {
				// The source answered; the caller asked for something wrong. No other source would do better.
				state.success(this.clock.instant());
				throw answeredForTheCaller;
			}
			catch (SourceSkippedException skipped) {
				state.skipped();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SourceUnavailableException("Interrupted while calling group '" + group + "'");
			}
			catch (Exception failure) {
				recordFailure(adapter.name(), failure);
			}
		}
		throw new SourceUnavailableException("No data adapter of group '" + group + "' answered", retryAfter(group));
	}

	private List<AdapterState> available(String group) {
		List<AdapterState> members = this.groups.getOrDefault(group, List.of());
		Instant now = this.clock.instant();
		members.forEach((state) -> refreshHealthIfDue(state, now));
		Duration window = this.settings.recentFailureWindow();
		return members.stream()
			.filter((state) -> this.resilience.blockedFor(state.adapter().name()).isEmpty())
			.sorted(Comparator.comparing(AdapterState::reportedDown)
				.thenComparing((state) -> state.failedRecently(now, window)))
			.toList();
	}

	/** When every source's breaker is open: how long until the first one lets calls through. */
	private Duration retryAfter(String group) {
		Duration soonest = null;
		for (AdapterState state : this.groups.getOrDefault(group, List.of())) {
			Optional<Duration> blocked = this.resilience.blockedFor(state.adapter().name());
			if (blocked.isEmpty()) {
				return null;
			}
			soonest = (soonest == null || blocked.get().compareTo(soonest) < 0) ? blocked.get() : soonest;
		}
		return soonest;
	}

	private void refreshHealthIfDue(AdapterState state, Instant now) {
		if (state.claimHealthCheck(now, this.settings.healthCheckInterval())) {
			// In the background: a tool call never waits on a health check.
			submitHealthCheck(state);
		}
	}

	private Future<Boolean> submitHealthCheck(AdapterState state) {
		try {
			return this.executor.submit(() -> {
				boolean healthy;
				try {
					healthy = state.adapter().isHealthy();
				}
				catch (Exception ex) {
					healthy = false;
				}
				state.checked(healthy, this.clock.instant());
				return healthy;
			});
		}
		catch (RejectedExecutionException ex) {
			state.checked(false, this.clock.instant());
			return CompletableFuture.completedFuture(false);
		}
	}

	private void awaitHealthCheck(AdapterState state, Future<Boolean> check) {
		try {
			check.get(this.settings.healthCheckTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			check.cancel(true);
			state.checked(false, this.clock.instant());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private AdapterState state(String adapter) {
		AdapterState state = this.states.get(adapter);
		if (state == null) {
			throw new IllegalArgumentException("No data adapter is named '" + adapter + "'");
		}
		return state;
	}

	/** Every source's state, for the metrics. */
	List<AdapterState> states() {
		return List.copyOf(this.states.values());
	}

	AdapterResilience resilience() {
		return this.resilience;
	}

	/**
	 * How the manager orders sources and checks their health.
	 *
	 * @param recentFailureWindow how long a failed source is tried after the others
	 * @param healthCheckInterval how often each source's health check runs in the background
	 * @param healthCheckTimeout how long the health summary waits for one check
	 */
	public record Settings(Duration recentFailureWindow, Duration healthCheckInterval, Duration healthCheckTimeout) {
	}

}
