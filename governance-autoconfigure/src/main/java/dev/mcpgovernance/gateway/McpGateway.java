package dev.mcpgovernance.gateway;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.discovery.DynamicToolSource;
import dev.mcpgovernance.outbound.DownstreamAuthorizers;
import dev.mcpgovernance.outbound.RemoteCalls;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.resource.GovernedResourceSpecifications;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Gateway mode: the tools of upstream MCP servers, exposed on this server as governed tools. At
 * start and every {@code refresh-interval} it lists each upstream's tools and brings the running
 * server in line: new tools are added (their policy registered first, their handler wrapped by the
 * {@link GovernedToolSpecifications}, so scope, rate limits, audit and redaction apply as to local
 * tools), vanished or denied ones removed; the server tells its clients with
 * {@code notifications/tools/list_changed}. Every change of the upstream set or of the exposed tools
 * happens under one lock, so a refresh and runtime additions or removals cannot interleave.
 *
 * <p>A tool's name is the upstream's, unless another upstream or a local tool has it too: then it is
 * {@code <domain>_<tool>}. A call goes through the upstream's {@link UpstreamClient}, under its
 * circuit breaker, retry and time limit; an upstream that cannot be reached is {@code source_unavailable},
 * an error it reports is {@code upstream_error}, and neither carries anything of the upstream's text.
 *
 * <p>This class is the lifecycle (the refresh schedule) and the face the admin API and applications
 * use; the work is done by package-private parts with one job each: {@link UpstreamRegistry} (the
 * upstreams), {@link UpstreamReconciler} (refresh, the source's upstreams, the naming rule, under
 * the lock), {@link UpstreamToolPublisher} (the tools on the running server) and
 * {@link UpstreamCalls} (forwarding calls, reads and gets on the shared remote-call path).
 */
public class McpGateway implements SmartLifecycle, DynamicToolSource {

	private static final Log logger = LogFactory.getLog(McpGateway.class);

	private final UpstreamRegistry upstreams;

	private final UpstreamToolPublisher tools;

	private final UpstreamReconciler reconciler;

	// The upstreams' resources, templates and prompts; null without the resource governance.
	private final UpstreamResources resources;

	private final Settings settings;

	private volatile ScheduledExecutorService scheduler;

	/**
	 * @param upstreams the configured upstreams
	 * @param source upstreams defined elsewhere (the admin API's), read again at every refresh
	 * @param redactor redacts the upstream's text forwarded to a caller (progress and log messages,
	 * elicitation questions) as results are; {@code null} when redaction is off
	 * @param resourceRegistry where the policies of the upstreams' resources and prompts are
	 * registered; {@code null}: their resources and prompts are not exposed
	 * @param resourceSpecifications wraps their resources and prompts in governance
	 * @throws GovernanceConfigurationException when one is declared twice or its credential cannot work
	 */
	public McpGateway(List<UpstreamDefinition> upstreams, UpstreamSource source, GovernedToolRegistry registry,
			GovernedToolSpecifications specifications, AdapterResilience resilience, DownstreamAuthorizers authorizers,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			Settings settings, Redactor redactor, GovernedResourceRegistry resourceRegistry,
			GovernedResourceSpecifications resourceSpecifications) {
		boolean withResources = resourceRegistry != null && resourceSpecifications != null;
		RemoteCalls remoteCalls = new RemoteCalls(resilience);
		this.settings = settings;
		this.upstreams = new UpstreamRegistry(authorizers, settings,
				(redactor != null) ? redactor::redactText : UnaryOperator.identity(), withResources,
				this::listChanged);
		UpstreamCalls calls = new UpstreamCalls(this.upstreams, remoteCalls);
		this.tools = new UpstreamToolPublisher(registry, specifications, server, statelessServer, calls);
		this.resources = withResources
				? new UpstreamResources(resourceRegistry, resourceSpecifications, server, statelessServer, calls) : null;
		this.reconciler = new UpstreamReconciler(this.upstreams, source, this.tools, this.resources, remoteCalls);
		upstreams.forEach((definition) -> this.upstreams.declare(definition, false));
	}

	/**
	 * Reads the {@link UpstreamSource} and every upstream's tools again and brings the exposed tools
	 * in line.
	 */
	public void refresh() {
		this.reconciler.refresh();
	}

	/**
	 * Reads the {@link UpstreamSource} now and brings the upstreams in line, listing only those that
	 * are new; the others keep the tools of their last refresh.
	 */
	public void sync() {
		this.reconciler.sync();
	}

	/**
	 * Adds an upstream at run time and exposes its tools (if it answers now; otherwise at a refresh).
	 * @throws GovernanceConfigurationException when its domain is taken or its credential cannot work
	 */
	public UpstreamStatus add(UpstreamDefinition upstream) {
		return this.reconciler.add(upstream);
	}

	/** Removes an upstream and its tools at run time; {@code false} when there is none by that domain. */
	public boolean remove(String domain) {
		return this.reconciler.remove(domain);
	}

	/** Every upstream as its last refresh found it, in declaration order. */
	public List<UpstreamStatus> statuses() {
		return this.reconciler.statuses();
	}

	/** Every upstream's definition, in declaration order. */
	public List<UpstreamDefinition> definitions() {
		return this.reconciler.definitions();
	}

	@Override
	public long version() {
		return this.tools.version();
	}

	@Override
	public List<McpServerFeatures.SyncToolSpecification> statefulSpecifications() {
		return this.tools.statefulSpecifications();
	}

	@Override
	public List<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecifications() {
		return this.tools.statelessSpecifications();
	}

	/** Refreshes every upstream; the answer counts them and their tools, and names those that are down. */
	@Override
	public Map<String, Object> reload() {
		refresh();
		List<UpstreamStatus> statuses = statuses();
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("upstreams", statuses.size());
		summary.put("up", statuses.stream().filter(UpstreamStatus::up).count());
		summary.put("down", statuses.stream().filter((status) -> !status.up()).map(UpstreamStatus::domain).toList());
		summary.put("upstream_tools", this.tools.size());
		return summary;
	}

	/**
	 * The upstreams for the server's instructions: each domain, with its description when it has one,
	 * by domain. Read without the lock, so that an {@code initialize} never waits for a refresh.
	 */
	@Override
	public String instructions() {
		List<UpstreamDefinition> definitions = this.upstreams.all()
			.stream()
			.map(Upstream::definition)
			.sorted(Comparator.comparing(UpstreamDefinition::domain))
			.toList();
		if (definitions.isEmpty()) {
			return null;
		}
		StringBuilder text = new StringBuilder(
				"This server also serves the tools of these upstream MCP servers (domain: what it is for):");
		for (UpstreamDefinition definition : definitions) {
			text.append("\n- ").append(definition.domain());
			if (StringUtils.hasText(definition.description())) {
				// One line each, whatever the configuration's text looks like.
				text.append(": ").append(definition.description().strip().replaceAll("\\s+", " "));
			}
		}
		return text.toString();
	}

	/** The exposed tool names by upstream domain. */
	public Map<String, List<String>> exposedTools() {
		return this.tools.namesByDomain();
	}

	/** The exposed resource URIs, URI templates and prompt names by upstream domain. */
	public Map<String, List<String>> exposedResourcesAndPrompts() {
		return (this.resources != null) ? this.resources.keysByDomain() : Map.of();
	}

	@Override
	public void start() {
		refreshQuietly();
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "mcp-governance-upstream-refresh");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.settings.refreshInterval().toMillis();
		executor.scheduleWithFixedDelay(this::refreshQuietly, interval, interval, TimeUnit.MILLISECONDS);
		long sweep = Math.max(1000, this.settings.callerSessionIdleTimeout().toMillis() / 2);
		executor.scheduleWithFixedDelay(this::closeIdleCallerSessions, sweep, sweep, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		this.scheduler = null;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.reconciler.disconnectAll();
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	// Before the web server starts taking calls: the upstream tools are there for the first tools/list.
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/**
	 * An upstream said its tools, resources or prompts changed: it is listed again now, not at the
	 * next refresh, off the transport's thread (listing is a round trip on the same session).
	 */
	private void listChanged(String domain) {
		ScheduledExecutorService executor = this.scheduler;
		if (executor == null) {
			return;
		}
		try {
			executor.execute(() -> relist(domain));
		}
		catch (RejectedExecutionException ex) {
			// Stopping: nothing is listed any more.
		}
	}

	private void relist(String domain) {
		try {
			this.reconciler.relist(domain);
		}
		catch (RuntimeException ex) {
			logger.warn("Listing upstream '" + domain + "' again failed with " + ex.getClass().getName());
		}
	}

	private void closeIdleCallerSessions() {
		this.upstreams.all().forEach((upstream) -> upstream.callerSessions().closeIdle());
	}

	private void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			// The schedule must survive; the type is enough to find it, the message may quote the upstream.
			logger.warn("Refreshing the upstream MCP servers failed with " + ex.getClass().getName());
		}
	}

	/**
	 * @param refreshInterval how often every upstream's tool list is read again
	 * @param connectTimeout time allowed to connect to an upstream
	 * @param requestTimeout time allowed for an upstream's answer
	 * @param maxCallerSessions how many callers may have their own session with one upstream at once
	 * @param callerSessionIdleTimeout how long a caller's upstream session without a call stays open
	 */
	public record Settings(Duration refreshInterval, Duration connectTimeout, Duration requestTimeout,
			int maxCallerSessions, Duration callerSessionIdleTimeout) {
	}

}
