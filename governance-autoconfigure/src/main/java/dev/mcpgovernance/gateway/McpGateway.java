package dev.mcpgovernance.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.adapter.SourceSkippedException;
import dev.mcpgovernance.outbound.DownstreamAuthorizers;
import dev.mcpgovernance.discovery.DynamicToolSource;
import dev.mcpgovernance.outbound.RequestAuthorizer;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.resource.GovernedResourceSpecifications;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import dev.mcpgovernance.tool.SourceUnavailableException;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
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
 */
public class McpGateway implements SmartLifecycle, DynamicToolSource {

	private static final Log logger = LogFactory.getLog(McpGateway.class);

	private final GovernedToolRegistry registry;

	private final GovernedToolSpecifications specifications;

	private final AdapterResilience resilience;

	private final DownstreamAuthorizers authorizers;

	private final ObjectProvider<McpSyncServer> server;

	private final ObjectProvider<McpStatelessSyncServer> statelessServer;

	private final Settings settings;

	// What an upstream's progress and log messages and questions pass through on their way to the caller.
	private final UnaryOperator<String> redact;

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

	// Insertion order of the upstreams decides nothing, but keeps listings stable.
	private final List<String> order = new ArrayList<>();

	private final Map<String, ExposedTool> exposed = new ConcurrentHashMap<>();

	// The governed specifications handed to the server, for progressive discovery's catalog.
	private final Map<String, McpServerFeatures.SyncToolSpecification> statefulSpecs = new ConcurrentHashMap<>();

	private final Map<String, McpStatelessServerFeatures.SyncToolSpecification> statelessSpecs = new ConcurrentHashMap<>();

	private final AtomicLong version = new AtomicLong();

	// The upstreams' resources, templates and prompts; null without the resource governance.
	private final UpstreamResources resources;

	private final UpstreamSource source;

	// The upstreams the source declared: only these does a refresh add and remove on its own.
	private final Set<String> sourced = new HashSet<>();

	private volatile ScheduledExecutorService scheduler;

	/**
	 * @param upstreams the configured upstreams
	 * @throws GovernanceConfigurationException when one is declared twice or its credential cannot work
	 */
	public McpGateway(List<UpstreamDefinition> upstreams, GovernedToolRegistry registry,
			GovernedToolSpecifications specifications, AdapterResilience resilience, DownstreamAuthorizers authorizers,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			Settings settings) {
		this(upstreams, UpstreamSource.NONE, registry, specifications, resilience, authorizers, server, statelessServer,
				settings);
	}

	/**
	 * @param upstreams the configured upstreams
	 * @param source upstreams defined elsewhere (the admin API's), read again at every refresh
	 * @throws GovernanceConfigurationException when one is declared twice or its credential cannot work
	 */
	public McpGateway(List<UpstreamDefinition> upstreams, UpstreamSource source, GovernedToolRegistry registry,
			GovernedToolSpecifications specifications, AdapterResilience resilience, DownstreamAuthorizers authorizers,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			Settings settings) {
		this(upstreams, source, registry, specifications, resilience, authorizers, server, statelessServer, settings,
				null);
	}

	/**
	 * @param upstreams the configured upstreams
	 * @param source upstreams defined elsewhere (the admin API's), read again at every refresh
	 * @param redactor redacts the upstream's text forwarded to a caller (progress and log messages,
	 * elicitation questions) as results are; {@code null} when redaction is off
	 * @throws GovernanceConfigurationException when one is declared twice or its credential cannot work
	 */
	public McpGateway(List<UpstreamDefinition> upstreams, UpstreamSource source, GovernedToolRegistry registry,
			GovernedToolSpecifications specifications, AdapterResilience resilience, DownstreamAuthorizers authorizers,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			Settings settings, Redactor redactor) {
		this(upstreams, source, registry, specifications, resilience, authorizers, server, statelessServer, settings,
				redactor, null, null);
	}

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
		this.resources = (resourceRegistry != null && resourceSpecifications != null)
				? new UpstreamResources(resourceRegistry, resourceSpecifications, server, statelessServer,
						new Forwarder())
				: null;
		this.redact = (redactor != null) ? redactor::redactText : UnaryOperator.identity();
		this.source = source;
		this.registry = registry;
		this.specifications = specifications;
		this.resilience = resilience;
		this.authorizers = authorizers;
		this.server = server;
		this.statelessServer = statelessServer;
		this.settings = settings;
		upstreams.forEach(this::declare);
	}

	/**
	 * Reads the {@link UpstreamSource} and every upstream's tools again and brings the exposed tools
	 * in line.
	 */
	public void refresh() {
		this.lock.lock();
		try {
			reconcile();
			this.order.forEach((domain) -> this.upstreams.get(domain).refresh());
			expose();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Reads the {@link UpstreamSource} now and brings the upstreams in line, listing only those that
	 * are new; the others keep the tools of their last refresh.
	 */
	public void sync() {
		this.lock.lock();
		try {
			reconcile().forEach(Upstream::refresh);
			expose();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Adds an upstream at run time and exposes its tools (if it answers now; otherwise at a refresh).
	 * @throws GovernanceConfigurationException when its domain is taken or its credential cannot work
	 */
	public UpstreamStatus add(UpstreamDefinition upstream) {
		this.lock.lock();
		try {
			Upstream added = declare(upstream);
			added.refresh();
			expose();
			return added.status();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Removes an upstream and its tools at run time; {@code false} when there is none by that domain. */
	public boolean remove(String domain) {
		this.lock.lock();
		try {
			Upstream removed = this.upstreams.remove(domain);
			if (removed == null) {
				return false;
			}
			this.order.remove(domain);
			this.sourced.remove(domain);
			expose();
			removed.disconnect();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Every upstream as its last refresh found it, in declaration order. */
	public List<UpstreamStatus> statuses() {
		this.lock.lock();
		try {
			return this.order.stream().map((domain) -> this.upstreams.get(domain).status()).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Every upstream's definition, in declaration order. */
	public List<UpstreamDefinition> definitions() {
		this.lock.lock();
		try {
			return this.order.stream().map((domain) -> this.upstreams.get(domain).definition()).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public long version() {
		return this.version.get();
	}

	@Override
	public List<McpServerFeatures.SyncToolSpecification> statefulSpecifications() {
		return List.copyOf(this.statefulSpecs.values());
	}

	@Override
	public List<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecifications() {
		return List.copyOf(this.statelessSpecs.values());
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
		summary.put("upstream_tools", this.exposed.size());
		return summary;
	}

	/**
	 * The upstreams for the server's instructions: each domain, with its description when it has one,
	 * by domain. Read without the lock, so that an {@code initialize} never waits for a refresh.
	 */
	@Override
	public String instructions() {
		List<UpstreamDefinition> definitions = this.upstreams.values()
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
		return this.exposed.values()
			.stream()
			.collect(Collectors.groupingBy(ExposedTool::domain, Collectors.mapping((tool) -> tool.tool().name(),
					Collectors.collectingAndThen(Collectors.toList(), (names) -> names.stream().sorted().toList()))));
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
		this.lock.lock();
		try {
			this.upstreams.values().forEach(Upstream::disconnect);
		}
		finally {
			this.lock.unlock();
		}
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

	private void closeIdleCallerSessions() {
		this.upstreams.values().forEach((upstream) -> upstream.callerSessions().closeIdle());
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
	 * Brings the source's upstreams in line with what it holds now: removes those it no longer has
	 * (or has changed), declares those it has anew. Under the lock; the new ones are not listed yet.
	 * When the source cannot be read, everything stays as it is.
	 */
	private List<Upstream> reconcile() {
		List<UpstreamDefinition> wanted;
		try {
			wanted = this.source.load();
		}
		catch (RuntimeException ex) {
			logger.warn("Reading the stored upstreams failed with " + ex.getClass().getName()
					+ "; the upstreams stay as they are until the next refresh");
			return List.of();
		}
		Map<String, UpstreamDefinition> byDomain = new LinkedHashMap<>();
		wanted.forEach((definition) -> byDomain.put(definition.domain(), definition));
		// Their tools leave the server at the expose() that follows every reconcile.
		for (String domain : new ArrayList<>(this.sourced)) {
			if (!this.upstreams.get(domain).definition().equals(byDomain.get(domain))) {
				Upstream gone = this.upstreams.remove(domain);
				this.order.remove(domain);
				this.sourced.remove(domain);
				gone.disconnect();
			}
		}
		List<Upstream> added = new ArrayList<>();
		byDomain.forEach((domain, definition) -> {
			if (this.upstreams.containsKey(domain)) {
				if (!this.sourced.contains(domain)) {
					logger.warn("Stored upstream '" + domain + "' is ignored: this server has an upstream of that domain");
				}
				return;
			}
			try {
				added.add(declare(definition));
				this.sourced.add(domain);
			}
			catch (GovernanceConfigurationException ex) {
				logger.warn("Stored upstream '" + domain + "' is not exposed: " + ex.getMessage());
			}
		});
		return added;
	}

	private Upstream declare(UpstreamDefinition definition) {
		if (this.upstreams.containsKey(definition.domain())) {
			throw new GovernanceConfigurationException("Upstream '" + definition.domain() + "' is declared twice.",
					"Give each upstream its own domain.");
		}
		HttpHeaders serviceHeaders = new HttpHeaders();
		this.authorizers.resolve(definition.domain(), definition.serviceAuth()).authorize(serviceHeaders, null, null);
		Upstream upstream = new Upstream(definition, serviceHeaders,
				this.authorizers.resolve(definition.domain(), definition.callAuth()));
		this.upstreams.put(definition.domain(), upstream);
		this.order.add(definition.domain());
		return upstream;
	}

	/** Brings the running server's upstream tools in line with what the upstreams listed. Under the lock. */
	private void expose() {
		Map<String, ExposedTool> desired = desiredTools(localToolNames());
		for (Map.Entry<String, ExposedTool> current : new ArrayList<>(this.exposed.entrySet())) {
			if (!current.getValue().equals(desired.get(current.getKey()))) {
				removeFromServer(current.getKey());
				this.exposed.remove(current.getKey());
				this.statefulSpecs.remove(current.getKey());
				this.statelessSpecs.remove(current.getKey());
				this.registry.unregister(current.getKey());
				this.version.incrementAndGet();
			}
		}
		desired.forEach((name, tool) -> {
			if (!this.exposed.containsKey(name)) {
				// The policy first: a tool must never be callable without one.
				this.registry.register(new ToolPolicy(name, tool.scope(), true,
						"upstream " + tool.domain() + "#" + tool.originalName()));
				this.exposed.put(name, tool);
				addToServer(tool);
				this.version.incrementAndGet();
			}
		});
		if (this.resources != null) {
			Map<String, UpstreamResources.Listing> listings = new LinkedHashMap<>();
			Map<String, UpstreamDefinition> definitions = new HashMap<>();
			for (String domain : this.order) {
				Upstream upstream = this.upstreams.get(domain);
				listings.put(domain, upstream.listing());
				definitions.put(domain, upstream.definition());
			}
			this.resources.expose(listings, definitions);
		}
	}

	private Map<String, ExposedTool> desiredTools(Set<String> localNames) {
		Map<String, Integer> owners = new HashMap<>();
		for (String domain : this.order) {
			Upstream upstream = this.upstreams.get(domain);
			upstream.tools()
				.stream()
				.map(McpSchema.Tool::name)
				.filter((name) -> upstream.definition().exposes(name, prefixed(domain, name)))
				.distinct()
				.forEach((name) -> owners.merge(name, 1, Integer::sum));
		}
		Map<String, ExposedTool> desired = new LinkedHashMap<>();
		for (String domain : this.order) {
			Upstream upstream = this.upstreams.get(domain);
			UpstreamDefinition definition = upstream.definition();
			for (McpSchema.Tool tool : upstream.tools()) {
				String original = tool.name();
				if (!definition.exposes(original, prefixed(domain, original))) {
					continue;
				}
				boolean collides = owners.getOrDefault(original, 0) > 1 || localNames.contains(original);
				String name = collides ? prefixed(domain, original) : original;
				if (localNames.contains(name) || desired.containsKey(name)) {
					logger.warn("Upstream '" + domain + "' tool '" + original + "' is not exposed: its name '" + name
							+ "' is taken even with the domain prefix");
					continue;
				}
				desired.put(name, new ExposedTool(domain, original, renamed(tool, name),
						definition.requiredScope(original, name)));
			}
		}
		return desired;
	}

	private static String prefixed(String domain, String toolName) {
		return domain + "_" + toolName;
	}

	private static McpSchema.Tool renamed(McpSchema.Tool tool, String name) {
		return McpSchema.Tool.builder()
			.name(name)
			.title(tool.title())
			.description(tool.description())
			.inputSchema(tool.inputSchema())
			.outputSchema(tool.outputSchema())
			.annotations(tool.annotations())
			.meta(tool.meta())
			.build();
	}

	/** The tools of the running server that are not upstream tools (the application's own). */
	private Set<String> localToolNames() {
		List<McpSchema.Tool> tools;
		McpSyncServer sync = this.server.getIfAvailable();
		if (sync != null) {
			tools = sync.listTools();
		}
		else {
			McpStatelessSyncServer stateless = this.statelessServer.getIfAvailable();
			tools = (stateless != null) ? stateless.listTools() : List.of();
		}
		return tools.stream()
			.map(McpSchema.Tool::name)
			.filter((name) -> !this.exposed.containsKey(name))
			.collect(Collectors.toSet());
	}

	private void addToServer(ExposedTool tool) {
		String name = tool.tool().name();
		McpSyncServer sync = this.server.getIfAvailable();
		if (sync != null) {
			McpServerFeatures.SyncToolSpecification spec = this.specifications
				.governed(McpServerFeatures.SyncToolSpecification.builder()
					.tool(tool.tool())
					.callHandler((exchange, request) -> call(name, request, exchange))
					.build());
			sync.addTool(spec);
			this.statefulSpecs.put(name, spec);
			return;
		}
		McpStatelessSyncServer stateless = this.statelessServer.getIfAvailable();
		if (stateless != null) {
			McpStatelessServerFeatures.SyncToolSpecification spec = this.specifications
				.governed(McpStatelessServerFeatures.SyncToolSpecification.builder()
					.tool(tool.tool())
					.callHandler((context, request) -> call(name, request.arguments(), context))
					.build());
			stateless.addTool(spec);
			this.statelessSpecs.put(name, spec);
		}
	}

	private void removeFromServer(String name) {
		McpSyncServer sync = this.server.getIfAvailable();
		if (sync != null) {
			sync.removeTool(name);
			return;
		}
		McpStatelessSyncServer stateless = this.statelessServer.getIfAvailable();
		if (stateless != null) {
			stateless.removeTool(name);
		}
	}

	/**
	 * One call of an exposed tool by a caller with a session: on the caller's own upstream session,
	 * so that the upstream's progress, log messages and elicitation requests reach this caller and
	 * no other.
	 */
	CallToolResult call(String exposedName, McpSchema.CallToolRequest request, McpSyncServerExchange exchange) {
		return call(exposedName, request.arguments(), exchange.transportContext(), exchange, request.progressToken());
	}

	/** One call of an exposed tool without a way back to the caller (a stateless server): nothing is forwarded. */
	CallToolResult call(String exposedName, Map<String, Object> arguments, McpTransportContext context) {
		return call(exposedName, arguments, context, null, null);
	}

	/** One call of an exposed tool, inside the governor (the caller is checked, the call audited). */
	private CallToolResult call(String exposedName, Map<String, Object> arguments, McpTransportContext context,
			McpSyncServerExchange exchange, Object progressToken) {
		ExposedTool tool = this.exposed.get(exposedName);
		Upstream upstream = (tool != null) ? this.upstreams.get(tool.domain()) : null;
		if (upstream == null) {
			// Removed between the server's dispatch and now.
			throw new SourceUnavailableException("Upstream tool '" + exposedName + "' was removed");
		}
		GovernanceContext.recordDataSource(upstream.definition().adapterName(), false);
		UpstreamClient client = upstream.client();
		if (client == null) {
			throw new SourceUnavailableException("Upstream '" + tool.domain() + "' is not connected");
		}
		CallerIdentity caller = GovernanceContext.caller().orElse(null);
		InboundAccessToken inbound = (context != null) ? InboundAccessToken.of(context) : null;
		CallToolResult result;
		try {
			result = this.resilience.call(client, GovernanceContext.propagate(() -> {
				HttpHeaders headers = new HttpHeaders();
				// The hooks' headers never stand in for a credential: the service's are skipped, the call's set after.
				GovernanceContext.outboundHeaders().forEach((name, value) -> {
					if (!upstream.serviceHeaders.containsHeader(name)) {
						headers.set(name, value);
					}
				});
				upstream.callAuthorizer().authorize(headers, caller, inbound);
				Optional<CallerSessions.Lease> lease = upstream.callerSession(caller, exchange, progressToken);
				UpstreamClient target = lease.map((held) -> held.session().client()).orElse(client);
				try {
					return target.call(tool.originalName(), arguments, headers,
							lease.map((held) -> held.call().upstreamToken()).orElse(null));
				}
				catch (McpError ex) {
					// The upstream answered with a JSON-RPC error: its text stays here.
					throw upstreamError(tool.domain());
				}
				catch (RuntimeException ex) {
					// A broken session is of no more use; the caller's next call opens a new one.
					lease.ifPresent((held) -> upstream.callerSessions().discard(held.session()));
					throw ex;
				}
				finally {
					lease.ifPresent(CallerSessions.Lease::end);
				}
			}));
		}
		catch (Exception ex) {
			throw failure(ex, tool.domain(), client);
		}
		if (result == null || Boolean.TRUE.equals(result.isError())) {
			throw upstreamError(tool.domain());
		}
		return result;
	}

	/**
	 * A read or get of an upstream resource, template or prompt, inside the resource governor (the
	 * caller is checked, the request audited, the answer redacted there): on the upstream's shared
	 * session with its service credential, under the upstream's breaker, retry and time limit.
	 */
	private <T> T forward(String domain, Function<UpstreamClient, T> request) {
		Upstream upstream = this.upstreams.get(domain);
		if (upstream == null) {
			// Removed between the server's dispatch and now.
			throw new SourceUnavailableException("Upstream '" + domain + "' was removed");
		}
		UpstreamClient client = upstream.client();
		if (client == null) {
			throw new SourceUnavailableException("Upstream '" + domain + "' is not connected");
		}
		try {
			return this.resilience.call(client, () -> {
				try {
					return request.apply(client);
				}
				catch (McpError ex) {
					// The upstream answered with a JSON-RPC error (an unknown URI, say): its text stays here.
					throw new ToolErrorException(new ToolError(ToolErrorCode.UPSTREAM_ERROR,
							"The upstream server behind this resource or prompt reported an error.",
							Map.of("upstream", domain)));
				}
			});
		}
		catch (Exception ex) {
			throw failure(ex, domain, client);
		}
	}

	/** What a failed upstream request becomes for the caller: never anything of the upstream's text. */
	private RuntimeException failure(Exception ex, String domain, UpstreamClient client) {
		if (ex instanceof ToolErrorException deliberate) {
			return deliberate;
		}
		if (ex instanceof SourceSkippedException) {
			return new SourceUnavailableException("Upstream '" + domain + "' is behind an open breaker",
					this.resilience.blockedFor(client.name()).orElse(null));
		}
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return new SourceUnavailableException("Interrupted while calling upstream '" + domain + "'");
		}
		Optional<ToolErrorException> deliberate = causeOf(ex, ToolErrorException.class);
		if (deliberate.isPresent()) {
			return deliberate.get();
		}
		logger.warn("Upstream '" + domain + "' failed with " + ex.getClass().getName());
		return new SourceUnavailableException("Upstream '" + domain + "' did not answer");
	}

	private static ToolErrorException upstreamError(String domain) {
		return new ToolErrorException(new ToolError(ToolErrorCode.UPSTREAM_ERROR,
				"The upstream server behind this tool reported an error.", Map.of("upstream", domain)));
	}

	/** Reads and gets of the upstreams' resources and prompts, for {@link UpstreamResources}. */
	private final class Forwarder implements UpstreamResources.Forwarder {

		@Override
		public McpSchema.ReadResourceResult read(String domain, String uri) {
			return forward(domain, (client) -> client.readResource(uri));
		}

		@Override
		public McpSchema.GetPromptResult get(String domain, String name, Map<String, Object> arguments) {
			return forward(domain, (client) -> client.getPrompt(name, arguments));
		}

	}

	private static <T extends Throwable> Optional<T> causeOf(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return Optional.of(type.cast(cause));
			}
		}
		return Optional.empty();
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

		/** Up to 100 callers' sessions per upstream, closed after 5 minutes without a call. */
		public Settings(Duration refreshInterval, Duration connectTimeout, Duration requestTimeout) {
			this(refreshInterval, connectTimeout, requestTimeout, 100, Duration.ofMinutes(5));
		}

	}

	/** One tool as this server exposes it. */
	private record ExposedTool(String domain, String originalName, McpSchema.Tool tool, Scope scope) {
	}

	/** One upstream with its connection and what it listed last. */
	private final class Upstream {

		private final UpstreamDefinition definition;

		private final HttpHeaders serviceHeaders;

		private final RequestAuthorizer callAuthorizer;

		private volatile UpstreamClient client;

		private volatile List<McpSchema.Tool> tools = List.of();

		private volatile UpstreamResources.Listing listing = UpstreamResources.Listing.NONE;

		private volatile boolean up;

		private volatile Instant lastRefresh;

		private final CallerSessions callerSessions = new CallerSessions(McpGateway.this.settings.maxCallerSessions(),
				McpGateway.this.settings.callerSessionIdleTimeout(), McpGateway.this.redact);

		Upstream(UpstreamDefinition definition, HttpHeaders serviceHeaders, RequestAuthorizer callAuthorizer) {
			this.definition = definition;
			this.serviceHeaders = serviceHeaders;
			this.callAuthorizer = callAuthorizer;
		}

		/**
		 * A call on the caller's own session with this upstream. Empty, so that the call takes the
		 * shared session and nothing is forwarded, when there is no caller to bind it to (no session
		 * on this server, no verified identity) or every caller session has a call in progress.
		 */
		Optional<CallerSessions.Lease> callerSession(CallerIdentity caller, McpSyncServerExchange exchange,
				Object progressToken) {
			if (caller == null || exchange == null || exchange.sessionId() == null) {
				return Optional.empty();
			}
			return this.callerSessions.acquire(
					new CallerSessions.CallerKey(exchange.sessionId(), caller.keyId(), caller.ownerId()),
					exchange.getClientCapabilities(),
					(channel) -> new UpstreamClient(this.definition, this.serviceHeaders,
							McpGateway.this.settings.connectTimeout(), McpGateway.this.settings.requestTimeout(), channel),
					exchange, progressToken);
		}

		CallerSessions callerSessions() {
			return this.callerSessions;
		}

		/**
		 * Lists the tools, connecting first when there is no session. When that fails, the tools
		 * listed before stay (their calls find the upstream unavailable) and the next refresh
		 * connects anew.
		 */
		void refresh() {
			this.lastRefresh = Instant.now();
			try {
				if (this.client == null) {
					this.client = new UpstreamClient(this.definition, this.serviceHeaders,
							McpGateway.this.settings.connectTimeout(), McpGateway.this.settings.requestTimeout());
				}
				this.tools = List.copyOf(this.client.listTools());
				this.up = true;
			}
			catch (RuntimeException ex) {
				this.up = false;
				logger.warn("Upstream '" + this.definition.domain() + "' could not be listed (" + ex.getClass().getName()
						+ "); retried at the next refresh");
				disconnect();
				return;
			}
			if (McpGateway.this.resources == null) {
				return;
			}
			try {
				this.listing = new UpstreamResources.Listing(List.copyOf(this.client.listResources()),
						List.copyOf(this.client.listResourceTemplates()), List.copyOf(this.client.listPrompts()));
			}
			catch (RuntimeException ex) {
				// Its tools are fine; its resources and prompts stay as listed before.
				logger.warn("Upstream '" + this.definition.domain() + "' resources or prompts could not be listed ("
						+ ex.getClass().getName() + "); retried at the next refresh");
			}
		}

		UpstreamResources.Listing listing() {
			return this.listing;
		}

		void disconnect() {
			this.callerSessions.closeAll();
			UpstreamClient current = this.client;
			this.client = null;
			if (current != null) {
				try {
					current.close();
				}
				catch (RuntimeException ex) {
					// Closing a broken session may fail too; nothing is left to release.
				}
			}
		}

		UpstreamStatus status() {
			String domain = this.definition.domain();
			int count = (int) McpGateway.this.exposed.values().stream().filter((tool) -> tool.domain().equals(domain)).count();
			return new UpstreamStatus(domain, this.definition.description(), this.up, count,
					McpGateway.this.resilience.breakerState(this.definition.adapterName()), this.lastRefresh,
					this.up ? null : (this.lastRefresh != null) ? "unreachable" : "not_refreshed");
		}

		UpstreamDefinition definition() {
			return this.definition;
		}

		RequestAuthorizer callAuthorizer() {
			return this.callAuthorizer;
		}

		UpstreamClient client() {
			return this.client;
		}

		List<McpSchema.Tool> tools() {
			return this.tools;
		}

	}

}
