package dev.mcpgovernance.gateway;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.resource.GovernedKind;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.resource.GovernedResourceSpecifications;
import dev.mcpgovernance.scope.Scope;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The resources, resource templates and prompts of the upstreams, exposed on this server through the
 * same path as the application's own: each one's policy is registered in the
 * {@link GovernedResourceRegistry} before it is added, and its handler, which forwards
 * {@code resources/read} or {@code prompts/get} to the upstream, is wrapped by the
 * {@link GovernedResourceSpecifications}. So per-caller lists, the scope check, rate limits, audit and
 * redaction apply exactly as to local ones. A read or get goes to the upstream as a tool call does:
 * with the caller's credential, on the caller's own upstream session. So does a
 * {@code completion/complete} of a template's variable or a prompt's argument, where the upstream
 * declared the completions capability: each exposed template and prompt of such an upstream gets a
 * completion on this server ({@link ServerCompletions}), governed like the application's own.
 *
 * <p>URIs, URI templates and prompt names are kept as the upstream has them (a URI is an address a
 * client may have stored; renaming it would change what it points at). One this server has
 * already, the application's own or an earlier-declared upstream's, is not exposed again: it is
 * skipped with a warning, so a request can never reach a server other than the one that listed it.
 * Called under the gateway's lock.
 */
final class UpstreamResources {

	private static final Log logger = LogFactory.getLog(UpstreamResources.class);

	private final GovernedResourceRegistry registry;

	private final GovernedResourceSpecifications specifications;

	private final ObjectProvider<McpSyncServer> server;

	private final ObjectProvider<McpStatelessSyncServer> statelessServer;

	private final Forwarder forwarder;

	private final ServerCompletions completions = new ServerCompletions();

	private final Map<Key, Exposed> exposed = new ConcurrentHashMap<>();

	UpstreamResources(GovernedResourceRegistry registry, GovernedResourceSpecifications specifications,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer,
			Forwarder forwarder) {
		this.registry = registry;
		this.specifications = specifications;
		this.server = server;
		this.statelessServer = statelessServer;
		this.forwarder = forwarder;
	}

	/**
	 * What one upstream listed last; empty for one that declares neither resources nor prompts.
	 * @param completions whether it declared the completions capability
	 */
	record Listing(List<McpSchema.Resource> resources, List<McpSchema.ResourceTemplate> templates,
			List<McpSchema.Prompt> prompts, boolean completions) {

		static final Listing NONE = new Listing(List.of(), List.of(), List.of(), false);

	}

	/**
	 * Forwards a read or get to the upstream of a domain, on behalf of the caller the request came
	 * from; throws what the caller should get.
	 */
	interface Forwarder {

		/**
		 * @param exchange the caller's session on this server; {@code null} on a stateless server
		 * @param context the caller's transport context (its credential, for token exchange)
		 */
		McpSchema.ReadResourceResult read(String domain, String uri, McpSyncServerExchange exchange,
				McpTransportContext context);

		/** Like {@link #read}. */
		McpSchema.GetPromptResult get(String domain, String name, Map<String, Object> arguments,
				McpSyncServerExchange exchange, McpTransportContext context);

		/** Like {@link #read}: a {@code completion/complete} of a prompt argument or template variable. */
		McpSchema.CompleteResult complete(String domain, McpSchema.CompleteRequest request,
				McpSyncServerExchange exchange, McpTransportContext context);

	}

	/** The kinds of feature, each with its own namespace of keys on the server. */
	enum Kind {

		RESOURCE, TEMPLATE, PROMPT

	}

	/** A feature's key on this server: a URI, a URI template or a prompt name. */
	record Key(Kind kind, String key) {
	}

	/** @param completes whether its completions are forwarded (a template or prompt of an upstream that declared them) */
	private record Exposed(String domain, Object feature, Scope scope, boolean completes) {
	}

	/**
	 * Brings the server's upstream resources, templates and prompts in line with the listings.
	 * @param listings each upstream's listing, in declaration order
	 * @param definitions each upstream's definition, by domain
	 */
	void expose(Map<String, Listing> listings, Map<String, UpstreamDefinition> definitions) {
		Set<Key> local = localKeys();
		Map<Key, Exposed> desired = new LinkedHashMap<>();
		listings.forEach((domain, listing) -> {
			UpstreamDefinition definition = definitions.get(domain);
			for (McpSchema.Resource resource : listing.resources()) {
				if (definition.resources().exposes(resource.uri(), String.valueOf(resource.name()))) {
					want(desired, local, new Key(Kind.RESOURCE, resource.uri()),
							new Exposed(domain, resource, definition.resourceScope(resource.uri(), resource.name()), false));
				}
			}
			for (McpSchema.ResourceTemplate template : listing.templates()) {
				if (definition.resources().exposes(template.uriTemplate(), String.valueOf(template.name()))) {
					want(desired, local, new Key(Kind.TEMPLATE, template.uriTemplate()), new Exposed(domain, template,
							definition.resourceScope(template.uriTemplate(), template.name()), listing.completions()));
				}
			}
			for (McpSchema.Prompt prompt : listing.prompts()) {
				if (definition.prompts().exposes(prompt.name())) {
					want(desired, local, new Key(Kind.PROMPT, prompt.name()),
							new Exposed(domain, prompt, definition.promptScope(prompt.name()), listing.completions()));
				}
			}
		});
		for (Map.Entry<Key, Exposed> current : new ArrayList<>(this.exposed.entrySet())) {
			if (!current.getValue().equals(desired.get(current.getKey()))) {
				remove(current.getKey());
			}
		}
		desired.forEach((key, feature) -> {
			if (!this.exposed.containsKey(key)) {
				add(key, feature);
			}
		});
	}

	/** How many of a domain's resources, templates and prompts are exposed. */
	long count(String domain) {
		return this.exposed.values().stream().filter((feature) -> feature.domain().equals(domain)).count();
	}

	/** The exposed URIs, URI templates and prompt names of every upstream, by domain. */
	Map<String, List<String>> keysByDomain() {
		Map<String, List<String>> keys = new LinkedHashMap<>();
		this.exposed.forEach((key, feature) -> keys.computeIfAbsent(feature.domain(), (domain) -> new ArrayList<>())
			.add(key.key()));
		keys.values().forEach((list) -> list.sort(String::compareTo));
		return keys;
	}

	private static void want(Map<Key, Exposed> desired, Set<Key> local, Key key, Exposed feature) {
		String domain = feature.domain();
		if (key.key() == null) {
			return;
		}
		if (local.contains(key) || desired.containsKey(key)) {
			String owner = local.contains(key) ? "this server" : "upstream '" + desired.get(key).domain() + "'";
			logger.warn("Upstream '" + domain + "' " + noun(key) + " '" + key.key()
					+ "' is not exposed: " + owner + " has one by that key already");
			return;
		}
		desired.put(key, feature);
	}

	private static String noun(Key key) {
		return key.kind().name().toLowerCase(Locale.ROOT);
	}

	private void add(Key key, Exposed feature) {
		GovernedKind kind = (key.kind() == Kind.PROMPT) ? GovernedKind.PROMPT : GovernedKind.RESOURCE;
		try {
			// The policy first: a feature must never be served without one.
			this.registry.register(kind, key.key(), feature.scope(), true,
					"upstream " + feature.domain() + "#" + key.key());
		}
		catch (GovernanceConfigurationException ex) {
			logger.warn("Upstream '" + feature.domain() + "' " + noun(key) + " '" + key.key()
					+ "' is not exposed: " + ex.getMessage());
			return;
		}
		try {
			addToServer(key, feature);
			this.exposed.put(key, feature);
		}
		catch (RuntimeException ex) {
			// A server that declares no resources or prompts capability refuses them; the type says so.
			this.registry.unregister(kind, key.key());
			logger.warn("Upstream '" + feature.domain() + "' " + noun(key) + " '" + key.key()
					+ "' could not be added to this server (" + ex.getClass().getName() + ")");
		}
	}

	private void remove(Key key) {
		try {
			removeFromServer(key);
		}
		catch (RuntimeException ex) {
			// Already gone from the server: nothing is left to serve, the policy goes below.
		}
		this.exposed.remove(key);
		this.registry.unregister((key.kind() == Kind.PROMPT) ? GovernedKind.PROMPT : GovernedKind.RESOURCE, key.key());
	}

	private void removeFromServer(Key key) {
		McpSyncServer sync = this.server.getIfAvailable();
		if (sync != null) {
			this.completions.remove(sync, reference(key));
			switch (key.kind()) {
				case RESOURCE -> sync.removeResource(key.key());
				case TEMPLATE -> sync.removeResourceTemplate(key.key());
				case PROMPT -> sync.removePrompt(key.key());
			}
			return;
		}
		McpStatelessSyncServer stateless = this.statelessServer.getIfAvailable();
		if (stateless != null) {
			this.completions.remove(stateless, reference(key));
			switch (key.kind()) {
				case RESOURCE -> stateless.removeResource(key.key());
				case TEMPLATE -> stateless.removeResourceTemplate(key.key());
				case PROMPT -> stateless.removePrompt(key.key());
			}
		}
	}

	private void addToServer(Key key, Exposed feature) {
		String domain = feature.domain();
		McpSyncServer sync = this.server.getIfAvailable();
		if (sync != null) {
			BiFunction<McpSyncServerExchange, McpSchema.ReadResourceRequest, McpSchema.ReadResourceResult> read = (
					exchange, request) -> this.forwarder.read(domain, request.uri(), exchange,
							exchange.transportContext());
			switch (key.kind()) {
				case RESOURCE -> sync.addResource(this.specifications.governed(
						new McpServerFeatures.SyncResourceSpecification((McpSchema.Resource) feature.feature(), read)));
				case TEMPLATE -> sync.addResourceTemplate(this.specifications.governed(
						new McpServerFeatures.SyncResourceTemplateSpecification(
								(McpSchema.ResourceTemplate) feature.feature(), read)));
				case PROMPT -> sync.addPrompt(this.specifications.governed(new McpServerFeatures.SyncPromptSpecification(
						(McpSchema.Prompt) feature.feature(), (exchange, request) -> this.forwarder.get(domain,
								request.name(), request.arguments(), exchange, exchange.transportContext()))));
			}
			if (feature.completes()) {
				this.completions.add(sync,
						this.specifications.governed(new McpServerFeatures.SyncCompletionSpecification(reference(key),
								(exchange, request) -> this.forwarder.complete(domain, request, exchange,
										exchange.transportContext()))));
			}
			return;
		}
		McpStatelessSyncServer stateless = this.statelessServer.getIfAvailable();
		if (stateless == null) {
			throw new IllegalStateException("No MCP server to add to");
		}
		// No session on this server to bind an upstream session to: the caller's credential still goes.
		BiFunction<McpTransportContext, McpSchema.ReadResourceRequest, McpSchema.ReadResourceResult> read = (context,
				request) -> this.forwarder.read(domain, request.uri(), null, context);
		switch (key.kind()) {
			case RESOURCE -> stateless.addResource(this.specifications.governed(
					new McpStatelessServerFeatures.SyncResourceSpecification((McpSchema.Resource) feature.feature(),
							read)));
			case TEMPLATE -> stateless.addResourceTemplate(this.specifications.governed(
					new McpStatelessServerFeatures.SyncResourceTemplateSpecification(
							(McpSchema.ResourceTemplate) feature.feature(), read)));
			case PROMPT -> stateless.addPrompt(this.specifications.governed(
					new McpStatelessServerFeatures.SyncPromptSpecification((McpSchema.Prompt) feature.feature(),
							(context, request) -> this.forwarder.get(domain, request.name(), request.arguments(), null,
									context))));
		}
		if (feature.completes()) {
			this.completions.add(stateless,
					this.specifications.governed(new McpStatelessServerFeatures.SyncCompletionSpecification(
							reference(key), (context, request) -> this.forwarder.complete(domain, request, null, context))));
		}
	}

	/** What a completion of the feature refers to: a prompt by its name, a template by its URI template. */
	private static McpSchema.CompleteReference reference(Key key) {
		return (key.kind() == Kind.PROMPT) ? new McpSchema.PromptReference(key.key())
				: new McpSchema.ResourceReference(key.key());
	}

	/** The resources, templates and prompts of the running server that are not the upstreams' (the application's own). */
	private Set<Key> localKeys() {
		Set<Key> keys = new HashSet<>();
		McpSyncServer sync = this.server.getIfAvailable();
		McpStatelessSyncServer stateless = (sync == null) ? this.statelessServer.getIfAvailable() : null;
		if (sync != null) {
			sync.listResources().forEach((resource) -> keys.add(new Key(Kind.RESOURCE, resource.uri())));
			sync.listResourceTemplates().forEach((template) -> keys.add(new Key(Kind.TEMPLATE, template.uriTemplate())));
			sync.listPrompts().forEach((prompt) -> keys.add(new Key(Kind.PROMPT, prompt.name())));
		}
		else if (stateless != null) {
			stateless.listResources().forEach((resource) -> keys.add(new Key(Kind.RESOURCE, resource.uri())));
			stateless.listResourceTemplates()
				.forEach((template) -> keys.add(new Key(Kind.TEMPLATE, template.uriTemplate())));
			stateless.listPrompts().forEach((prompt) -> keys.add(new Key(Kind.PROMPT, prompt.name())));
		}
		keys.removeAll(this.exposed.keySet());
		return keys;
	}

}
