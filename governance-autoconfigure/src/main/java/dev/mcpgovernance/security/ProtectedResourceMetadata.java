package dev.mcpgovernance.security;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The RFC 9728 protected resource metadata of this MCP server and the URL it is served at, which
 * every 401 points to so that a client can find out how to authenticate.
 */
public class ProtectedResourceMetadata {

	private final McpEndpoints endpoints;

	private final URI configuredResource;

	private final Supplier<List<String>> authorizationServers;

	private final Supplier<? extends Collection<String>> scopesSupported;

	/**
	 * @param configuredResource {@code mcp.governance.resource}, or {@code null} to derive it from each request
	 * @param authorizationServers issuers of the access tokens this server accepts (empty without OAuth)
	 * @param scopesSupported the scopes governed tools require
	 */
	public ProtectedResourceMetadata(McpEndpoints endpoints, URI configuredResource,
			Supplier<List<String>> authorizationServers, Supplier<? extends Collection<String>> scopesSupported) {
		this.endpoints = endpoints;
		this.configuredResource = configuredResource;
		this.authorizationServers = authorizationServers;
		this.scopesSupported = scopesSupported;
	}

	/** The canonical URI of this server (its RFC 8707 resource identifier). */
	public String resource(HttpServletRequest request) {
		if (this.configuredResource != null) {
			return this.configuredResource.toString();
		}
		return ServletUriComponentsBuilder.fromContextPath(request).path(this.endpoints.primaryPath()).toUriString();
	}

	/** Where the metadata document is served: the origin of the resource plus the well-known path. */
	public String metadataUrl(HttpServletRequest request) {
		if (this.configuredResource != null) {
			URI resource = this.configuredResource;
			String port = (resource.getPort() != -1) ? ":" + resource.getPort() : "";
			return resource.getScheme() + "://" + resource.getHost() + port + McpEndpoints.RESOURCE_METADATA_PATH;
		}
		return ServletUriComponentsBuilder.fromContextPath(request).path(McpEndpoints.RESOURCE_METADATA_PATH).toUriString();
	}

	/** The scopes governed tools require, sorted. */
	public List<String> scopesSupported() {
		return this.scopesSupported.get().stream().sorted().toList();
	}

	public Map<String, Object> document(HttpServletRequest request) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("resource", resource(request));
		document.put("authorization_servers", this.authorizationServers.get());
		document.put("scopes_supported", scopesSupported());
		document.put("bearer_methods_supported", List.of("header"));
		return document;
	}

}
