package dev.mcpgovernance.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.GovernedToolSpecifications;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The upstream tools on the running server (the {@link McpSyncServer} or the
 * {@link McpStatelessSyncServer}): a tool's policy is registered before it is added and its handler
 * wrapped by the {@link GovernedToolSpecifications}, so scope, rate limits, audit and redaction apply
 * as to local tools; the server tells its clients with {@code notifications/tools/list_changed}.
 * Changed only under the gateway's lock; read from any thread.
 */
final class UpstreamToolPublisher {

	private final GovernedToolRegistry registry;

	private final GovernedToolSpecifications specifications;

	private final ObjectProvider<McpSyncServer> server;

	private final ObjectProvider<McpStatelessSyncServer> statelessServer;

	private final UpstreamCalls calls;

	private final Map<String, ExposedTool> exposed = new ConcurrentHashMap<>();

	// The governed specifications handed to the server, for progressive discovery's catalog.
	private final Map<String, McpServerFeatures.SyncToolSpecification> statefulSpecs = new ConcurrentHashMap<>();

	private final Map<String, McpStatelessServerFeatures.SyncToolSpecification> statelessSpecs = new ConcurrentHashMap<>();

	private final AtomicLong version = new AtomicLong();

	/** @param calls where the published tools' calls go */
	UpstreamToolPublisher(GovernedToolRegistry registry, GovernedToolSpecifications specifications,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			UpstreamCalls calls) {
		this.registry = registry;
		this.specifications = specifications;
		this.server = server;
		this.statelessServer = statelessServer;
		this.calls = calls;
	}

	/**
	 * Brings the server's upstream tools in line: those that are not wanted as they are leave it,
	 * those that are new join it.
	 * @param desired the tools to expose, by their name on this server
	 */
	void publish(Map<String, ExposedTool> desired) {
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
	}

	/** The tools of the running server that are not upstream tools (the application's own). */
	Set<String> localToolNames() {
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

	/** Grows with every tool added or removed. */
	long version() {
		return this.version.get();
	}

	List<McpServerFeatures.SyncToolSpecification> statefulSpecifications() {
		return List.copyOf(this.statefulSpecs.values());
	}

	List<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecifications() {
		return List.copyOf(this.statelessSpecs.values());
	}

	/** How many tools are exposed. */
	int size() {
		return this.exposed.size();
	}

	/** How many of a domain's tools are exposed. */
	int count(String domain) {
		return (int) this.exposed.values().stream().filter((tool) -> tool.domain().equals(domain)).count();
	}

	/** The exposed tool names by upstream domain, sorted. */
	Map<String, List<String>> namesByDomain() {
		return this.exposed.values()
			.stream()
			.collect(Collectors.groupingBy(ExposedTool::domain, Collectors.mapping(ExposedTool::name,
					Collectors.collectingAndThen(Collectors.toList(), (names) -> names.stream().sorted().toList()))));
	}

	private void addToServer(ExposedTool tool) {
		String name = tool.name();
		McpSyncServer sync = this.server.getIfAvailable();
		if (sync != null) {
			McpServerFeatures.SyncToolSpecification spec = this.specifications
				.governed(McpServerFeatures.SyncToolSpecification.builder()
					.tool(tool.tool())
					.callHandler((exchange, request) -> this.calls.call(name, this.exposed.get(name), request, exchange))
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
					.callHandler((context, request) -> this.calls.call(name, this.exposed.get(name), request.arguments(),
							context))
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

}
