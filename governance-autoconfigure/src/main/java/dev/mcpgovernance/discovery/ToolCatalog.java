package dev.mcpgovernance.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * The real tools the meta-tools search, describe and run: the same governed tool specifications the
 * MCP server received (Spring AI's {@code @Tool} callbacks, {@code @McpTool} methods, hand-made
 * specifications), by name, as far as the running server still has them. A tool nobody may call
 * (ungoverned, on a server that refuses ungoverned tools) is not in it.
 */
class ToolCatalog {

	/** Domain of an ungoverned tool the server allows. */
	public static final String UNGOVERNED_DOMAIN = "ungoverned";

	private final Supplier<Entries> beans;

	private final ObjectProvider<DynamicToolSource> dynamic;

	private final GovernedToolRegistry registry;

	private final Exposure exposure;

	private final ObjectProvider<McpSyncServer> server;

	private final ObjectProvider<McpStatelessSyncServer> statelessServer;

	private volatile Versioned current;

	/**
	 * The running server once found: resolving it through the bean factory on every {@code tools/call}
	 * (which {@link UnknownToolCalls} asks about) cost more than the lookup itself. Not found yet stays
	 * unresolved, so a catalog asked before the server exists asks again.
	 */
	private volatile Object runningServer;

	/**
	 * @param dynamic tools added at run time (the gateway's); may be {@code null}
	 * @param server the running stateful server (streamable HTTP, SSE, STDIO), if that is the kind
	 * @param statelessServer the running stateless server, if that is the kind
	 */
	public ToolCatalog(ObjectProvider<List<McpServerFeatures.SyncToolSpecification>> statefulTools,
			ObjectProvider<List<McpStatelessServerFeatures.SyncToolSpecification>> statelessTools,
			GovernedToolRegistry registry, Exposure exposure, ObjectProvider<DynamicToolSource> dynamic,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer) {
		// Built on first use: the specification beans (and their policies) exist only once the context is refreshed.
		this.beans = SingletonSupplier.of(() -> Entries.of(statefulTools.orderedStream().flatMap(List::stream).toList(),
				statelessTools.orderedStream().flatMap(List::stream).toList(), registry, exposure));
		this.dynamic = dynamic;
		this.registry = registry;
		this.exposure = exposure;
		this.server = server;
		this.statelessServer = statelessServer;
	}

	/** Every tool the running server has now, by name. */
	public Collection<CatalogTool> tools() {
		Set<String> served = served();
		return entries().tools().values().stream().filter((tool) -> served.contains(tool.name())).toList();
	}

	public Optional<CatalogTool> find(String name) {
		return Optional.ofNullable(entries().tools().get(name)).filter((tool) -> isServed(name));
	}

	/** The governed handler of a tool on a stateful server (streamable HTTP, SSE, STDIO). */
	Optional<McpServerFeatures.SyncToolSpecification> statefulSpecification(String name) {
		return Optional.ofNullable(entries().stateful().get(name)).filter((spec) -> isServed(name));
	}

	/** The governed handler of a tool on a stateless server. */
	Optional<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecification(String name) {
		return Optional.ofNullable(entries().stateless().get(name)).filter((spec) -> isServed(name));
	}

	/**
	 * The names of the tools the running server has now. A tool removed from it at run time
	 * ({@code removeTool}) must leave the catalog too: {@code execute_tool} runs the catalog's
	 * handler itself, past the server's dispatch, so a catalog entry that outlived the server's tool
	 * would run a tool nobody is offered any more. Without a server there is nothing to run.
	 */
	private Set<String> served() {
		return servedTools().stream().map(Tool::name).collect(Collectors.toSet());
	}

	/**
	 * Whether the running server has this one tool now (see {@link #served()}), without collecting
	 * every name; whether or not the catalog offers it.
	 */
	public boolean isServed(String name) {
		for (Tool tool : servedTools()) {
			if (tool.name().equals(name)) {
				return true;
			}
		}
		return false;
	}

	private List<Tool> servedTools() {
		Object running = runningServer();
		if (running instanceof McpSyncServer sync) {
			return sync.listTools();
		}
		return (running instanceof McpStatelessSyncServer stateless) ? stateless.listTools() : List.of();
	}

	private Object runningServer() {
		Object running = this.runningServer;
		if (running == null) {
			McpSyncServer sync = this.server.getIfAvailable();
			running = (sync != null) ? sync : this.statelessServer.getIfAvailable();
			this.runningServer = running;
		}
		return running;
	}

	/** The source of run-time tools, when there is one. */
	Optional<DynamicToolSource> dynamicSource() {
		return Optional.ofNullable((this.dynamic != null) ? this.dynamic.getIfAvailable() : null);
	}

	// The bean tools never change; the run-time ones are merged in again whenever their version moves.
	private Entries entries() {
		Optional<DynamicToolSource> source = dynamicSource();
		if (source.isEmpty()) {
			return this.beans.get();
		}
		long version = source.get().version();
		Versioned known = this.current;
		if (known != null && known.version() == version) {
			return known.entries();
		}
		Entries base = this.beans.get();
		List<McpServerFeatures.SyncToolSpecification> stateful = new ArrayList<>(base.stateful().values());
		stateful.addAll(source.get().statefulSpecifications());
		List<McpStatelessServerFeatures.SyncToolSpecification> stateless = new ArrayList<>(base.stateless().values());
		stateless.addAll(source.get().statelessSpecifications());
		Entries merged = Entries.of(stateful, stateless, this.registry, this.exposure);
		this.current = new Versioned(version, merged);
		return merged;
	}

	private record Versioned(long version, Entries entries) {
	}

	private record Entries(Map<String, CatalogTool> tools, Map<String, McpServerFeatures.SyncToolSpecification> stateful,
			Map<String, McpStatelessServerFeatures.SyncToolSpecification> stateless) {

		static Entries of(List<McpServerFeatures.SyncToolSpecification> statefulTools,
				List<McpStatelessServerFeatures.SyncToolSpecification> statelessTools, GovernedToolRegistry registry,
				Exposure exposure) {
			Map<String, CatalogTool> tools = new TreeMap<>();
			Map<String, McpServerFeatures.SyncToolSpecification> stateful = new LinkedHashMap<>();
			Map<String, McpStatelessServerFeatures.SyncToolSpecification> stateless = new LinkedHashMap<>();
			statefulTools.forEach((spec) -> {
				if (add(tools, spec.tool(), registry, exposure)) {
					stateful.putIfAbsent(spec.tool().name(), spec);
				}
			});
			statelessTools.forEach((spec) -> {
				if (add(tools, spec.tool(), registry, exposure)) {
					stateless.putIfAbsent(spec.tool().name(), spec);
				}
			});
			return new Entries(Collections.unmodifiableMap(tools), stateful, stateless);
		}

		private static boolean add(Map<String, CatalogTool> tools, Tool tool,
				GovernedToolRegistry registry, Exposure exposure) {
			Optional<ToolPolicy> policy = registry.find(tool.name());
			if (policy.isEmpty() && exposure != Exposure.ALLOW_UNGOVERNED) {
				return false;
			}
			String domain = policy.map((each) -> each.requiredScope().domain()).orElse(UNGOVERNED_DOMAIN);
			tools.putIfAbsent(tool.name(), new CatalogTool(tool, domain));
			return true;
		}

	}

}
