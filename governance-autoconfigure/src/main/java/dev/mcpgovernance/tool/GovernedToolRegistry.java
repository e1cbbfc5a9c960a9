package dev.mcpgovernance.tool;

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

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.StringUtils;

/**
 * The policy of every governed tool, by MCP tool name. Built when the application context has
 * created its singletons, so that a malformed scope stops start-up before the server takes a call.
 */
public class GovernedToolRegistry implements SmartInitializingSingleton {

	private final GovernedToolRegistrar registrar;

	private final String defaultDomain;

	private final Map<String, ToolPolicy> policies = new ConcurrentHashMap<>();

	public GovernedToolRegistry(GovernedToolRegistrar registrar, String defaultDomain) {
		this.registrar = registrar;
		this.defaultDomain = defaultDomain;
	}

	@Override
	public void afterSingletonsInstantiated() {
		resolvePending();
	}

	/** The policy of a tool; empty for a tool that carries no {@link GovernedTool}. */
	public Optional<ToolPolicy> find(String toolName) {
		ToolPolicy policy = this.policies.get(toolName);
		if (policy == null) {
			// A lazily created bean may have registered tools after start-up.
			resolvePending();
			policy = this.policies.get(toolName);
		}
		return Optional.ofNullable(policy);
	}

	public Collection<ToolPolicy> policies() {
		return List.copyOf(this.policies.values());
	}

	/** Every scope some governed tool requires, sorted: what {@code scopes_supported} lists. */
	public Set<String> requiredScopes() {
		Set<String> scopes = new TreeSet<>();
		this.policies.values().forEach((policy) -> scopes.add(policy.requiredScope().toString()));
		return scopes;
	}

	/**
	 * Adds the policy of a tool that is made in code rather than annotated, such as one an OpenAPI
	 * connector generates. Call it before the tool can be called.
	 * @throws GovernanceConfigurationException if the tool is already governed with another scope
	 */
	public synchronized void register(ToolPolicy policy) {
		ToolPolicy existing = this.policies.putIfAbsent(policy.toolName(), policy);
		if (existing != null && !existing.requiredScope().equals(policy.requiredScope())) {
			throw new GovernanceConfigurationException(
					"Tool '" + policy.toolName() + "' is declared twice with different scopes: "
							+ existing.requiredScope() + " on " + existing.declaredBy() + " and "
							+ policy.requiredScope() + " on " + policy.declaredBy() + ".",
					"Give the tools distinct names, or the same scope.");
		}
	}

	/**
	 * Removes the policy of a tool made in code, such as an upstream's tool that is no longer
	 * exposed. Remove the tool from the server first: a tool without a policy is refused.
	 */
	public synchronized void unregister(String toolName) {
		this.policies.remove(toolName);
	}

	private synchronized void resolvePending() {
		for (GovernedToolRegistrar.Candidate candidate : this.registrar.drain()) {
			register(toPolicy(candidate));
		}
	}

	private ToolPolicy toPolicy(GovernedToolRegistrar.Candidate candidate) {
		GovernedTool annotation = candidate.annotation();
		Scope scope = requiredScope(annotation, candidate.declaredBy());
		return new ToolPolicy(candidate.toolName(), scope, annotation.audit(), candidate.declaredBy(),
				redactKeys(annotation, candidate.declaredBy()), annotation.rateLimit(), annotation.globalRateLimit(),
				List.of(annotation.sourceUnavailable()));
	}

	private static List<String> redactKeys(GovernedTool annotation, String declaredBy) {
		for (String key : annotation.redact()) {
			if (!StringUtils.hasText(key)) {
				throw new GovernanceConfigurationException(
						"@GovernedTool on " + declaredBy + " lists a blank key in redact.",
						"Remove it, or name a key such as \"customer_note\" or \"*_internal\".");
			}
		}
		return List.of(annotation.redact());
	}

	/**
	 * The scope a {@link GovernedTool} requires, with the default domain applied.
	 * @throws GovernanceConfigurationException naming the method and the malformed scope
	 */
	public Scope requiredScope(GovernedTool annotation, String declaredBy) {
		String domain = StringUtils.hasText(annotation.domain()) ? annotation.domain() : this.defaultDomain;
		if (!StringUtils.hasText(domain)) {
			throw new GovernanceConfigurationException(
					"@GovernedTool on " + declaredBy + " names no domain and mcp.governance.domain is not set.",
					"Set domain = \"…\" on the annotation, or set mcp.governance.domain.");
		}
		try {
			return Scope.required(domain, annotation.resource(), annotation.action());
		}
		catch (MalformedScopeException ex) {
			String text = domain + ":" + annotation.resource() + ":" + annotation.action();
			throw new GovernanceConfigurationException(
					"@GovernedTool on " + declaredBy + " declares the malformed scope '" + text + "': "
							+ ex.reason() + ".",
					"Use domain:resource:action with lower-case words, e.g. orders:order:read.");
		}
	}

}
