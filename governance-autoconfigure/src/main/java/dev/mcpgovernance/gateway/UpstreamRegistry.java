package dev.mcpgovernance.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.outbound.DownstreamAuthorizers;

import org.springframework.http.HttpHeaders;

/**
 * The gateway's upstreams by domain, in declaration order, each with its credentials resolved when it
 * is declared. Changed only under the gateway's lock; {@link #get} and {@link #all} may be read
 * without it (a call in flight, the server's instructions).
 */
final class UpstreamRegistry {

	private final DownstreamAuthorizers authorizers;

	private final McpGateway.Settings settings;

	private final UnaryOperator<String> redact;

	private final boolean listsResources;

	private final Consumer<String> listChanged;

	private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

	// Insertion order of the upstreams decides nothing, but keeps listings stable.
	private final List<String> order = new ArrayList<>();

	// The upstreams the source declared: only these does a refresh add and remove on its own.
	private final Set<String> sourced = new HashSet<>();

	/**
	 * @param redact what an upstream's text passes through on its way to a caller
	 * @param listsResources whether the upstreams' resources and prompts are listed (and exposed)
	 * @param listChanged told the domain of an upstream that says its lists changed; must not block
	 */
	UpstreamRegistry(DownstreamAuthorizers authorizers, McpGateway.Settings settings, UnaryOperator<String> redact,
			boolean listsResources, Consumer<String> listChanged) {
		this.authorizers = authorizers;
		this.settings = settings;
		this.redact = redact;
		this.listsResources = listsResources;
		this.listChanged = listChanged;
	}

	/**
	 * @param sourced whether the {@link UpstreamSource} declared it
	 * @throws GovernanceConfigurationException when its domain is taken or its credential cannot work
	 */
	Upstream declare(UpstreamDefinition definition, boolean sourced) {
		if (this.upstreams.containsKey(definition.domain())) {
			throw new GovernanceConfigurationException("Upstream '" + definition.domain() + "' is declared twice.",
					"Give each upstream its own domain.");
		}
		HttpHeaders serviceHeaders = new HttpHeaders();
		this.authorizers.resolve(definition.domain(), definition.serviceAuth()).authorize(serviceHeaders, null, null);
		Upstream upstream = new Upstream(definition, serviceHeaders,
				this.authorizers.resolve(definition.domain(), definition.callAuth()), this.settings, this.redact,
				this.listsResources, () -> this.listChanged.accept(definition.domain()));
		this.upstreams.put(definition.domain(), upstream);
		this.order.add(definition.domain());
		if (sourced) {
			this.sourced.add(definition.domain());
		}
		return upstream;
	}

	/** Forgets an upstream (it is not disconnected); {@code null} when there is none by that domain. */
	Upstream remove(String domain) {
		Upstream removed = this.upstreams.remove(domain);
		this.order.remove(domain);
		this.sourced.remove(domain);
		return removed;
	}

	/** The upstream of a domain, or {@code null}. */
	Upstream get(String domain) {
		return this.upstreams.get(domain);
	}

	boolean contains(String domain) {
		return this.upstreams.containsKey(domain);
	}

	/** The domains of the upstreams the source declared. */
	List<String> sourced() {
		return List.copyOf(this.sourced);
	}

	boolean isSourced(String domain) {
		return this.sourced.contains(domain);
	}

	/** Every upstream in declaration order. */
	List<Upstream> inOrder() {
		return this.order.stream().map(this.upstreams::get).toList();
	}

	/** Every upstream, in no order. */
	Collection<Upstream> all() {
		return this.upstreams.values();
	}

}
