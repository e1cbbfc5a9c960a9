package dev.mcpgovernance.resource;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.util.DefaultMcpUriTemplateManagerFactory;
import io.modelcontextprotocol.util.McpUriTemplateManager;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.StringUtils;

/**
 * The policy of every governed resource, resource template and prompt: from
 * {@link GovernedResource} and {@link GovernedPrompt} methods, from configuration (for those made
 * in code) and from {@link #register} (for those a connector or the gateway adds at run time). A
 * policy is a {@link ToolPolicy} whose name is the feature's {@link GovernedKind#nameOf governed
 * name}, so rate limits, the audit trail, metrics and observations treat it like a tool's. Built
 * when the context has created its singletons, so that a malformed scope stops start-up.
 */
public class GovernedResourceRegistry implements SmartInitializingSingleton {

	private static final DefaultMcpUriTemplateManagerFactory TEMPLATES = new DefaultMcpUriTemplateManagerFactory();

	private final GovernedResourceRegistrar registrar;

	private final String defaultDomain;

	private final Map<String, String> configuredResources;

	private final Map<String, String> configuredPrompts;

	private final Map<GovernedKind, Map<String, ToolPolicy>> policies = Map.of(GovernedKind.RESOURCE,
			new ConcurrentHashMap<>(), GovernedKind.PROMPT, new ConcurrentHashMap<>());

	private final Map<String, McpUriTemplateManager> templates = new ConcurrentHashMap<>();

	/**
	 * @param configuredResources scope by resource URI or URI template, for resources made in code
	 * @param configuredPrompts scope by prompt name, for prompts made in code
	 */
	public GovernedResourceRegistry(GovernedResourceRegistrar registrar, String defaultDomain,
			Map<String, String> configuredResources, Map<String, String> configuredPrompts) {
		this.registrar = registrar;
		this.defaultDomain = defaultDomain;
		this.configuredResources = Map.copyOf(configuredResources);
		this.configuredPrompts = Map.copyOf(configuredPrompts);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.configuredResources.forEach((key, scope) -> {
			String property = GovernanceResourceProperties.PREFIX + ".uris[" + key + "]";
			register(GovernedKind.RESOURCE, key, configured(scope, property), true, property);
		});
		this.configuredPrompts.forEach((name, scope) -> {
			String property = GovernanceResourceProperties.PREFIX + ".prompts[" + name + "]";
			register(GovernedKind.PROMPT, name, configured(scope, property), true, property);
		});
		resolvePending();
	}

	/** The policy of a resource by the URI or URI template it is served under, or of a prompt by name. */
	public Optional<ToolPolicy> find(GovernedKind kind, String key) {
		if (key == null) {
			return Optional.empty();
		}
		ToolPolicy policy = this.policies.get(kind).get(key);
		if (policy == null) {
			// A lazily created bean may have brought governed methods after start-up.
			resolvePending();
			policy = this.policies.get(kind).get(key);
		}
		return Optional.ofNullable(policy);
	}

	/**
	 * The governed resource a concrete URI reads: the fixed resource of that URI, else the first
	 * template that matches it (the order in which the MCP SDK looks them up).
	 * @return the URI or URI template of that resource; empty when no governed resource matches
	 */
	public Optional<String> resourceKeyFor(String uri) {
		if (uri == null) {
			return Optional.empty();
		}
		resolvePending();
		Map<String, ToolPolicy> resources = this.policies.get(GovernedKind.RESOURCE);
		if (resources.containsKey(uri)) {
			return Optional.of(uri);
		}
		return resources.keySet().stream().filter((key) -> template(key).matches(uri)).sorted().findFirst();
	}

	/**
	 * The governed resource or prompt a completion refers to: a prompt by its name; a resource
	 * template (or fixed URI) by its own key, else the governed resource its URI matches.
	 * @return its key; {@code null} when it names nothing governed
	 */
	public String completedKey(GovernedKind kind, String nameOrUri) {
		if (kind == GovernedKind.PROMPT) {
			return find(GovernedKind.PROMPT, nameOrUri).isPresent() ? nameOrUri : null;
		}
		return find(GovernedKind.RESOURCE, nameOrUri).isPresent() ? nameOrUri : resourceKeyFor(nameOrUri).orElse(null);
	}

	/** The values of a template's variables in a URI it matches; empty for a fixed resource. */
	public Map<String, String> variables(String key, String uri) {
		McpUriTemplateManager template = template(key);
		if (!template.isUriTemplate(key) || uri == null || !template.matches(uri)) {
			return Map.of();
		}
		return template.extractVariableValues(uri);
	}

	public Collection<ToolPolicy> policies(GovernedKind kind) {
		return List.copyOf(this.policies.get(kind).values());
	}

	/** Every scope a governed resource or prompt requires, sorted. */
	public Set<String> requiredScopes() {
		Set<String> scopes = new TreeSet<>();
		this.policies.values()
			.forEach((byKey) -> byKey.values().forEach((policy) -> scopes.add(policy.requiredScope().toString())));
		return scopes;
	}

	/**
	 * Adds the policy of a resource or prompt made in code, such as one an upstream server of the
	 * gateway offers. Call it before the feature is served: one without a policy is refused.
	 * @param key the URI or URI template of a resource, the name of a prompt
	 * @throws GovernanceConfigurationException if the feature is already governed with another scope
	 */
	public synchronized void register(GovernedKind kind, String key, Scope requiredScope, boolean audit,
			String declaredBy) {
		register(new ToolPolicy(kind.nameOf(key), requiredScope, audit, declaredBy), kind, key);
	}

	/** Removes the policy of a resource or prompt made in code; remove it from the server first. */
	public synchronized void unregister(GovernedKind kind, String key) {
		this.policies.get(kind).remove(key);
	}

	private synchronized void register(ToolPolicy policy, GovernedKind kind, String key) {
		ToolPolicy existing = this.policies.get(kind).putIfAbsent(key, policy);
		if (existing != null && !existing.requiredScope().equals(policy.requiredScope())) {
			throw new GovernanceConfigurationException(
					"'" + policy.toolName() + "' is governed twice with different scopes: " + existing.requiredScope()
							+ " on " + existing.declaredBy() + " and " + policy.requiredScope() + " on "
							+ policy.declaredBy() + ".",
					"Give them the same scope, or keep one of the declarations.");
		}
	}

	private synchronized void resolvePending() {
		for (GovernedResourceRegistrar.Candidate candidate : this.registrar.drain()) {
			GovernedResourceRegistrar.Attributes attributes = candidate.attributes();
			Scope scope = requiredScope(attributes, candidate.declaredBy());
			for (String key : attributes.redact()) {
				if (!StringUtils.hasText(key)) {
					throw new GovernanceConfigurationException(attributes.annotation() + " on " + candidate.declaredBy()
							+ " lists a blank key in redact.", "Remove it, or name a key such as \"customer_note\".");
				}
			}
			register(new ToolPolicy(candidate.kind().nameOf(candidate.key()), scope, attributes.audit(),
					candidate.declaredBy(), attributes.redact(), attributes.rateLimit(), attributes.globalRateLimit()),
					candidate.kind(), candidate.key());
		}
	}

	private Scope requiredScope(GovernedResourceRegistrar.Attributes attributes, String declaredBy) {
		String domain = StringUtils.hasText(attributes.domain()) ? attributes.domain() : this.defaultDomain;
		if (!StringUtils.hasText(domain)) {
			throw new GovernanceConfigurationException(attributes.annotation() + " on " + declaredBy
					+ " names no domain and mcp.governance.domain is not set.",
					"Set domain = \"…\" on the annotation, or set mcp.governance.domain.");
		}
		try {
			return Scope.required(domain, attributes.resource(), attributes.action());
		}
		catch (MalformedScopeException ex) {
			throw new GovernanceConfigurationException(attributes.annotation() + " on " + declaredBy
					+ " declares the malformed scope '" + domain + ":" + attributes.resource() + ":"
					+ attributes.action() + "': " + ex.reason() + ".",
					"Use domain:resource:action with lower-case words, e.g. orders:order:read.");
		}
	}

	private static Scope configured(String text, String property) {
		try {
			Scope scope = Scope.parse(text);
			return Scope.required(scope.domain(), scope.resource(), scope.action());
		}
		catch (MalformedScopeException ex) {
			throw new GovernanceConfigurationException(
					property + " is the malformed scope '" + text + "': " + ex.reason() + ".",
					"Use domain:resource:action with lower-case words, e.g. orders:order:read.");
		}
	}

	private McpUriTemplateManager template(String key) {
		return this.templates.computeIfAbsent(key, TEMPLATES::create);
	}

}
