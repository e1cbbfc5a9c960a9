package dev.mcpgovernance.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.outbound.DownstreamAuth;
import dev.mcpgovernance.gateway.GovernanceGatewayProperties.NamedCredential;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The upstreams added through the admin API: checked against the configuration's rules when they
 * are added and again whenever they are read, stored in a {@link RuntimeUpstreamStore} that every
 * replica reads, and handed to the {@link McpGateway} as its {@link UpstreamSource}.
 *
 * <p>The rules keep the admin API from becoming a way to leak secrets or to reach what it should
 * not: its URL must match {@code mcp.governance.gateway.allowed-urls} (none does by default) and
 * carry no user info, query or fragment; its credential is only ever the name of one declared in
 * {@code mcp.governance.gateway.credentials}, whose own {@code allowed-urls} the URL must match too;
 * its scope overrides (of tools, resources and prompts) stay in its own domain; and a domain declared in configuration can be neither
 * added nor removed here.
 */
public class RuntimeUpstreams implements UpstreamSource {

	private static final Log logger = LogFactory.getLog(RuntimeUpstreams.class);

	private final RuntimeUpstreamStore store;

	private final Set<String> configuredDomains;

	private final List<String> allowedUrls;

	private final Map<String, NamedCredential> credentials;

	/**
	 * @param configuredDomains the domains of the upstreams declared in configuration
	 * @param allowedUrls URL globs an upstream added here must match
	 * @param credentials the credentials an upstream added here may name
	 */
	public RuntimeUpstreams(RuntimeUpstreamStore store, Set<String> configuredDomains, List<String> allowedUrls,
			Map<String, NamedCredential> credentials) {
		this.store = store;
		this.configuredDomains = Set.copyOf(configuredDomains);
		this.allowedUrls = List.copyOf(allowedUrls);
		this.credentials = Map.copyOf(credentials);
	}

	/**
	 * Checks and stores an upstream; the gateways pick it up at their next refresh.
	 * @throws GovernanceConfigurationException when it breaks a rule (the message says which)
	 * @throws UpstreamConflictException when its domain is declared in configuration or stored already
	 */
	public UpstreamDefinition add(RuntimeUpstream upstream) {
		refuseConfigured(upstream.domain());
		UpstreamDefinition definition = definition(upstream);
		if (!this.store.insert(upstream)) {
			throw new UpstreamConflictException("An upstream with domain '" + upstream.domain() + "' exists already.");
		}
		return definition;
	}

	/**
	 * Deletes a stored upstream; the gateways drop it at their next refresh.
	 * @return {@code false} when none is stored with this domain
	 * @throws UpstreamConflictException when the domain is declared in configuration
	 */
	public boolean remove(String domain) {
		refuseConfigured(domain);
		return this.store.delete(domain);
	}

	/** The admin API may neither add nor remove an upstream that configuration declares. */
	private void refuseConfigured(String domain) {
		if (isConfigured(domain)) {
			throw new UpstreamConflictException(
					"Upstream '" + domain + "' is declared in configuration; change or remove it there.");
		}
	}

	/** Whether an upstream of this domain is declared in configuration. */
	public boolean isConfigured(String domain) {
		return this.configuredDomains.contains(domain);
	}

	/** Every stored upstream, as stored. */
	public List<RuntimeUpstream> stored() {
		return this.store.findAll();
	}

	/**
	 * The stored upstreams that still follow the rules: one whose credential is no longer declared or
	 * whose URL is no longer allowed (the configuration changed since it was added) is left out, and
	 * so not called, until it does again.
	 */
	@Override
	public List<UpstreamDefinition> load() {
		List<UpstreamDefinition> definitions = new ArrayList<>();
		for (RuntimeUpstream upstream : this.store.findAll()) {
			if (isConfigured(upstream.domain())) {
				logger.warn("Stored upstream '" + upstream.domain()
						+ "' is ignored: an upstream of that domain is declared in configuration");
				continue;
			}
			try {
				definitions.add(definition(upstream));
			}
			catch (GovernanceConfigurationException ex) {
				logger.warn("Stored upstream '" + upstream.domain() + "' is not exposed: " + ex.getMessage());
			}
		}
		return definitions;
	}

	/** The upstream as the gateway runs it, after every rule is checked. */
	UpstreamDefinition definition(RuntimeUpstream upstream) {
		String domain = upstream.domain();
		URI url = checkedUrl(domain, upstream.url());
		DownstreamAuth callAuth = DownstreamAuth.none();
		DownstreamAuth serviceAuth = DownstreamAuth.none();
		if (upstream.credential() != null) {
			// The name is not repeated: a secret pasted in its place must not come back in an answer or a log.
			NamedCredential credential = this.credentials.get(upstream.credential());
			if (credential == null) {
				throw new GovernanceConfigurationException(
						"Upstream '" + domain + "' names a credential that is not declared in mcp.governance.gateway.credentials.",
						"Name a credential declared in configuration; secrets are never sent through the admin API.");
			}
			if (!credential.getAllowedUrls().isEmpty() && !UrlGlobs.anyMatches(credential.getAllowedUrls(), url)) {
				throw new GovernanceConfigurationException(
						"Upstream '" + domain + "' names a credential that may not be sent to its url.",
						"Add the url to the credential's allowed-urls in configuration, or use another credential.");
			}
			callAuth = credential.toDownstreamAuth(domain);
			serviceAuth = credential.serviceAuth(domain);
		}
		ownDomainOnly(domain, upstream.scopes(), "tools");
		ownDomainOnly(domain, upstream.resources().scopes(), "resources");
		ownDomainOnly(domain, upstream.prompts().scopes(), "prompts");
		// Then the same checks as a configured upstream's: a malformed scope is refused naming its glob.
		return UpstreamDefinition
			.of(domain, url, upstream.transport(), upstream.description(), upstream.allowedTools(),
					upstream.deniedTools(), upstream.scopes(), callAuth, serviceAuth)
			.withFeatures(upstream.resources().allowed(), upstream.resources().denied(), upstream.resources().scopes(),
					upstream.prompts().allowed(), upstream.prompts().denied(), upstream.prompts().scopes());
	}

	/** The admin API cannot hand out another domain's scopes: {@code domain:resource:action} names its own. */
	private static void ownDomainOnly(String domain, Map<String, String> scopes, String what) {
		scopes.forEach((glob, scope) -> {
			String[] parts = (scope != null) ? scope.split(":", -1) : new String[0];
			if (parts.length == 3 && !parts[0].equals(domain)) {
				throw new GovernanceConfigurationException(
						"Upstream '" + domain + "' declares a scope outside its own domain for " + what + " '" + glob + "'.",
						"Use resource:action; an upstream added through the admin API keeps its " + what
								+ " in its own domain.");
			}
		});
	}

	private URI checkedUrl(String domain, URI url) {
		if (url == null || url.getScheme() == null || url.getHost() == null
				|| !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
			throw new GovernanceConfigurationException("Upstream '" + domain + "' has no absolute http(s) url.",
					"Give the upstream's MCP endpoint, e.g. https://crm.mcp.example.com/mcp.");
		}
		if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
			throw new GovernanceConfigurationException(
					"Upstream '" + domain + "' has a url with user info, a query or a fragment.",
					"Give the url without them; a credential is named with 'credential', never sent in the url.");
		}
		if (!UrlGlobs.anyMatches(this.allowedUrls, url)) {
			throw new GovernanceConfigurationException(
					"Upstream '" + domain + "' has a url that mcp.governance.gateway.allowed-urls does not allow.",
					"Add a glob that matches it to mcp.governance.gateway.allowed-urls in configuration.");
		}
		return url;
	}

}
