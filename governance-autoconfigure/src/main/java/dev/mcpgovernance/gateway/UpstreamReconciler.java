package dev.mcpgovernance.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.outbound.RemoteCalls;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Brings the upstreams and what the server exposes of them in line, under one lock, so that a
 * refresh and runtime additions or removals cannot interleave: the {@link UpstreamSource}'s
 * upstreams with what it holds now, each upstream's listing with the upstream, and the exposed
 * tools, resources and prompts with the listings.
 *
 * <p>The naming rule: a tool keeps the upstream's name, unless another upstream or a local tool
 * has it too; then it is {@code <domain>_<tool>}, and one whose prefixed name is taken as well is
 * not exposed.
 */
final class UpstreamReconciler {

	private static final Log logger = LogFactory.getLog(UpstreamReconciler.class);

	private final ReentrantLock lock = new ReentrantLock();

	private final UpstreamRegistry upstreams;

	private final UpstreamSource source;

	private final UpstreamToolPublisher tools;

	// The upstreams' resources, templates and prompts; null without the resource governance.
	private final UpstreamResources resources;

	private final RemoteCalls remoteCalls;

	/** @param remoteCalls whose breakers the upstreams' statuses show */
	UpstreamReconciler(UpstreamRegistry upstreams, UpstreamSource source, UpstreamToolPublisher tools,
			UpstreamResources resources, RemoteCalls remoteCalls) {
		this.upstreams = upstreams;
		this.source = source;
		this.tools = tools;
		this.resources = resources;
		this.remoteCalls = remoteCalls;
	}

	/** Reads the source and every upstream again and exposes what they hold now. */
	void refresh() {
		locked(() -> {
			reconcile();
			this.upstreams.inOrder().forEach(Upstream::refresh);
			expose();
			return null;
		});
	}

	/** Reads the source now, lists only the upstreams that are new and exposes what they hold. */
	void sync() {
		locked(() -> {
			reconcile().forEach(Upstream::refresh);
			expose();
			return null;
		});
	}

	/**
	 * Lists one upstream again, after it said its tools, resources or prompts changed, and exposes
	 * what it holds now; nothing when it has been removed meanwhile.
	 */
	void relist(String domain) {
		locked(() -> {
			Upstream upstream = this.upstreams.get(domain);
			if (upstream != null) {
				upstream.refresh();
				expose();
			}
			return null;
		});
	}

	/** @throws GovernanceConfigurationException when its domain is taken or its credential cannot work */
	UpstreamStatus add(UpstreamDefinition definition) {
		return locked(() -> {
			Upstream added = this.upstreams.declare(definition, false);
			added.refresh();
			expose();
			return status(added);
		});
	}

	/** {@code false} when there is no upstream by that domain. */
	boolean remove(String domain) {
		return locked(() -> {
			Upstream removed = this.upstreams.remove(domain);
			if (removed == null) {
				return false;
			}
			expose();
			removed.disconnect();
			return true;
		});
	}

	/** Closes every upstream's sessions; they are opened again at the next refresh or call. */
	void disconnectAll() {
		locked(() -> {
			this.upstreams.all().forEach(Upstream::disconnect);
			return null;
		});
	}

	/** Every upstream as its last refresh found it, in declaration order. */
	List<UpstreamStatus> statuses() {
		return locked(() -> this.upstreams.inOrder().stream().map(this::status).toList());
	}

	/** Every upstream's definition, in declaration order. */
	List<UpstreamDefinition> definitions() {
		return locked(() -> this.upstreams.inOrder().stream().map(Upstream::definition).toList());
	}

	private UpstreamStatus status(Upstream upstream) {
		UpstreamDefinition definition = upstream.definition();
		return upstream.status(this.tools.count(definition.domain()),
				this.remoteCalls.breakerState(definition.adapterName()));
	}

	private <T> T locked(Supplier<T> work) {
		this.lock.lock();
		try {
			return work.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Brings the source's upstreams in line with what it holds now: removes those it no longer has
	 * (or has changed), declares those it has anew. The new ones are not listed yet. When the source
	 * cannot be read, everything stays as it is.
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
		for (String domain : this.upstreams.sourced()) {
			if (!this.upstreams.get(domain).definition().equals(byDomain.get(domain))) {
				this.upstreams.remove(domain).disconnect();
			}
		}
		List<Upstream> added = new ArrayList<>();
		byDomain.forEach((domain, definition) -> {
			if (this.upstreams.contains(domain)) {
				if (!this.upstreams.isSourced(domain)) {
					logger.warn("Stored upstream '" + domain + "' is ignored: this server has an upstream of that domain");
				}
				return;
			}
			try {
				added.add(this.upstreams.declare(definition, true));
			}
			catch (GovernanceConfigurationException ex) {
				logger.warn("Stored upstream '" + domain + "' is not exposed: " + ex.getMessage());
			}
		});
		return added;
	}

	/** Brings the running server's upstream tools, resources and prompts in line with what the upstreams listed. */
	private void expose() {
		this.tools.publish(desiredTools(this.tools.localToolNames()));
		if (this.resources != null) {
			Map<String, UpstreamResources.Listing> listings = new LinkedHashMap<>();
			Map<String, UpstreamDefinition> definitions = new HashMap<>();
			for (Upstream upstream : this.upstreams.inOrder()) {
				listings.put(upstream.definition().domain(), upstream.listing());
				definitions.put(upstream.definition().domain(), upstream.definition());
			}
			this.resources.expose(listings, definitions);
		}
	}

	private Map<String, ExposedTool> desiredTools(Set<String> localNames) {
		Map<String, Integer> owners = new HashMap<>();
		for (Upstream upstream : this.upstreams.inOrder()) {
			String domain = upstream.definition().domain();
			upstream.tools()
				.stream()
				.map(McpSchema.Tool::name)
				.filter((name) -> upstream.definition().exposes(name, prefixed(domain, name)))
				.distinct()
				.forEach((name) -> owners.merge(name, 1, Integer::sum));
		}
		Map<String, ExposedTool> desired = new LinkedHashMap<>();
		for (Upstream upstream : this.upstreams.inOrder()) {
			UpstreamDefinition definition = upstream.definition();
			String domain = definition.domain();
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

}
