package dev.mcpgovernance.discovery;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.mcpgovernance.tool.Exposure;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * The real tools the meta-tools search, describe and run: the same governed tool specifications the
 * MCP server received (Spring AI's {@code @Tool} callbacks, {@code @McpTool} methods, hand-made
 * specifications), by name. A tool nobody may call (ungoverned, on a server that refuses ungoverned
 * tools) is not in it.
 */
public class ToolCatalog {

	/** Domain of an ungoverned tool the server allows. */
	public static final String UNGOVERNED_DOMAIN = "ungoverned";

	private final Supplier<Entries> entries;

	public ToolCatalog(ObjectProvider<List<McpServerFeatures.SyncToolSpecification>> statefulTools,
			ObjectProvider<List<McpStatelessServerFeatures.SyncToolSpecification>> statelessTools,
			GovernedToolRegistry registry, Exposure exposure) {
		// Built on first use: the specification beans (and their policies) exist only once the context is refreshed.
		this.entries = SingletonSupplier.of(() -> Entries.of(statefulTools, statelessTools, registry, exposure));
	}

	/** Every tool, by name. */
	public Collection<CatalogTool> tools() {
		return this.entries.get().tools().values();
	}

	public Optional<CatalogTool> find(String name) {
		return Optional.ofNullable(this.entries.get().tools().get(name));
	}

	/** The governed handler of a tool on a stateful server (streamable HTTP, SSE, STDIO). */
	Optional<McpServerFeatures.SyncToolSpecification> statefulSpecification(String name) {
		return Optional.ofNullable(this.entries.get().stateful().get(name));
	}

	/** The governed handler of a tool on a stateless server. */
	Optional<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecification(String name) {
		return Optional.ofNullable(this.entries.get().stateless().get(name));
	}

	private record Entries(Map<String, CatalogTool> tools, Map<String, McpServerFeatures.SyncToolSpecification> stateful,
			Map<String, McpStatelessServerFeatures.SyncToolSpecification> stateless) {

		static Entries of(ObjectProvider<List<McpServerFeatures.SyncToolSpecification>> statefulTools,
				ObjectProvider<List<McpStatelessServerFeatures.SyncToolSpecification>> statelessTools,
				GovernedToolRegistry registry, Exposure exposure) {
			Map<String, CatalogTool> tools = new TreeMap<>();
			Map<String, McpServerFeatures.SyncToolSpecification> stateful = new LinkedHashMap<>();
			Map<String, McpStatelessServerFeatures.SyncToolSpecification> stateless = new LinkedHashMap<>();
			statefulTools.orderedStream().flatMap(List::stream).forEach((spec) -> {
				if (add(tools, spec.tool(), registry, exposure)) {
					stateful.putIfAbsent(spec.tool().name(), spec);
				}
			});
			statelessTools.orderedStream().flatMap(List::stream).forEach((spec) -> {
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
