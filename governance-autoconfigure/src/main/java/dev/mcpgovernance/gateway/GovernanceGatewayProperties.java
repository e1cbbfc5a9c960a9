package dev.mcpgovernance.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.MovedProperties;
import dev.mcpgovernance.outbound.DownstreamAuth;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway mode ({@code mcp.governance.gateway.*}): upstream MCP servers whose tools this server
 * exposes, governed, by scope domain ({@code mcp.governance.gateway.upstreams.<domain>.*}), and how
 * often their tool lists are read again. Upstreams still written under their key before issue 24,
 * {@code mcp.governance.upstreams.<domain>.*}, are read too, with a warning.
 */
@Validated
@ConfigurationProperties(prefix = GovernanceGatewayProperties.PREFIX)
public class GovernanceGatewayProperties implements EnvironmentAware, InitializingBean {

	/** The prefix of the gateway's settings and its {@code upstreams} map. */
	public static final String PREFIX = "mcp.governance.gateway";

	/** Where the upstreams were configured before they moved under {@link #PREFIX}. */
	static final String MOVED_UPSTREAMS = GovernanceProperties.PREFIX + ".upstreams";

	/**
	 * Upstream MCP servers by scope domain; each server's tools, resources and prompts become
	 * governed ones of that domain.
	 */
	private Map<String, @Valid Upstream> upstreams = new LinkedHashMap<>();

	/** Whether gateway mode is on: upstreams are listed, exposed and can be added at run time. */
	private boolean enabled = true;

	/**
	 * How often every upstream's tools, resources and prompts are listed again; an upstream that
	 * was down is retried then.
	 */
	@NotNull
	private Duration refreshInterval = Duration.ofMinutes(5);

	/** Time allowed to connect to an upstream. */
	@NotNull
	private Duration connectTimeout = Duration.ofSeconds(5);

	/** Time allowed for an upstream's answer to initialize, a list, tools/call, resources/read or prompts/get. */
	@NotNull
	private Duration requestTimeout = Duration.ofSeconds(30);

	/**
	 * How many callers may each have their own session with one upstream at once. A caller's
	 * session carries the upstream's progress, log messages and elicitation requests back to
	 * that caller alone; beyond this number (when every session has a call in progress) a call
	 * takes the upstream's shared session, which forwards none of them. 0: no caller has its own.
	 */
	@Min(0)
	private int maxCallerSessions = 100;

	/** How long a caller's own upstream session without a call stays open. */
	@NotNull
	private Duration callerSessionIdleTimeout = Duration.ofMinutes(5);

	/**
	 * URL globs the admin API may add upstreams at, e.g. "https://*.mcp.example.com/*" ("*" in
	 * the scheme-and-host part stops at "/"); empty (the default): the admin API cannot add any.
	 */
	private List<String> allowedUrls = new ArrayList<>();

	/**
	 * Credentials by name, for upstreams added through the admin API: a request names one and
	 * never carries a secret or a variable name.
	 */
	private Map<String, @Valid NamedCredential> credentials = new LinkedHashMap<>();

	// Read once the properties are bound, for upstreams still written under their old key.
	private Environment environment;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public int getMaxCallerSessions() {
		return this.maxCallerSessions;
	}

	public void setMaxCallerSessions(int maxCallerSessions) {
		this.maxCallerSessions = maxCallerSessions;
	}

	public Duration getCallerSessionIdleTimeout() {
		return this.callerSessionIdleTimeout;
	}

	public void setCallerSessionIdleTimeout(Duration callerSessionIdleTimeout) {
		this.callerSessionIdleTimeout = callerSessionIdleTimeout;
	}

	public List<String> getAllowedUrls() {
		return this.allowedUrls;
	}

	public void setAllowedUrls(List<String> allowedUrls) {
		this.allowedUrls = allowedUrls;
	}

	public Map<String, NamedCredential> getCredentials() {
		return this.credentials;
	}

	public void setCredentials(Map<String, NamedCredential> credentials) {
		this.credentials = credentials;
	}

	public Map<String, Upstream> getUpstreams() {
		return this.upstreams;
	}

	public void setUpstreams(Map<String, Upstream> upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.environment != null) {
			MovedProperties.addMovedEntries(this.environment, MOVED_UPSTREAMS, PREFIX + ".upstreams", Upstream.class,
					this.upstreams);
		}
	}

	/** The configured upstreams as their Java form, in declaration order. */
	List<UpstreamDefinition> toDefinitions() {
		List<UpstreamDefinition> result = new ArrayList<>();
		this.upstreams.forEach((domain, upstream) -> result.add(upstream.toDefinition(domain)));
		return result;
	}

	public static class Upstream {

		/** URL of the upstream's MCP endpoint, e.g. http://crm:8080/mcp (streamable) or http://crm:8080/sse (SSE). */
		@NotNull
		private URI url;

		/** The upstream's MCP transport. */
		@NotNull
		private UpstreamDefinition.Transport transport = UpstreamDefinition.Transport.STREAMABLE;

		/** What the upstream's tools are for, shown in the server's instructions and health. */
		private String description;

		/** Tool-name globs ("*" and "?") to expose, matched against the original and the exposed name; all when empty. */
		private List<String> allowedTools = new ArrayList<>();

		/** Tool-name globs never exposed, matched against the original and the exposed name; deny wins over allow. */
		private List<String> deniedTools = new ArrayList<>();

		/** Scope overrides by tool-name glob: "resource:action" or "domain:resource:action"; domain:tool:call otherwise. */
		private Map<String, String> scopes = new LinkedHashMap<>();

		/**
		 * Globs ("*" and "?") of the upstream's resources and resource templates to expose, matched
		 * against the URI (or URI template) and the resource's name; all when empty.
		 */
		private List<String> allowedResources = new ArrayList<>();

		/**
		 * Globs of the upstream's resources and resource templates never exposed, matched against the
		 * URI (or URI template) and the name, ignoring case; deny wins over allow.
		 */
		private List<String> deniedResources = new ArrayList<>();

		/**
		 * Scope overrides by URI, URI-template or resource-name glob: "resource:action" or
		 * "domain:resource:action"; domain:name:read otherwise (the name as for tools).
		 */
		private Map<String, String> resourceScopes = new LinkedHashMap<>();

		/** Prompt-name globs ("*" and "?") to expose; all when empty. */
		private List<String> allowedPrompts = new ArrayList<>();

		/** Prompt-name globs never exposed, ignoring case; deny wins over allow. */
		private List<String> deniedPrompts = new ArrayList<>();

		/**
		 * Scope overrides by prompt-name glob: "resource:action" or "domain:resource:action";
		 * domain:name:read otherwise.
		 */
		private Map<String, String> promptScopes = new LinkedHashMap<>();

		/** How requests authenticate to the upstream; the caller's own token is never passed through. */
		@Valid
		private Credential credential = new Credential();

		UpstreamDefinition toDefinition(String domain) {
			return UpstreamDefinition.of(domain, this.url, this.transport, this.description, this.allowedTools,
					this.deniedTools, this.scopes, this.credential.toDownstreamAuth(domain),
					this.credential.serviceAuth(domain))
				.withFeatures(this.allowedResources, this.deniedResources, this.resourceScopes, this.allowedPrompts,
						this.deniedPrompts, this.promptScopes);
		}

		public URI getUrl() {
			return this.url;
		}

		public void setUrl(URI url) {
			this.url = url;
		}

		public UpstreamDefinition.Transport getTransport() {
			return this.transport;
		}

		public void setTransport(UpstreamDefinition.Transport transport) {
			this.transport = transport;
		}

		public String getDescription() {
			return this.description;
		}

		public void setDescription(String description) {
			this.description = description;
		}

		public List<String> getAllowedTools() {
			return this.allowedTools;
		}

		public void setAllowedTools(List<String> allowedTools) {
			this.allowedTools = allowedTools;
		}

		public List<String> getDeniedTools() {
			return this.deniedTools;
		}

		public void setDeniedTools(List<String> deniedTools) {
			this.deniedTools = deniedTools;
		}

		public Map<String, String> getScopes() {
			return this.scopes;
		}

		public void setScopes(Map<String, String> scopes) {
			this.scopes = scopes;
		}

		public List<String> getAllowedResources() {
			return this.allowedResources;
		}

		public void setAllowedResources(List<String> allowedResources) {
			this.allowedResources = allowedResources;
		}

		public List<String> getDeniedResources() {
			return this.deniedResources;
		}

		public void setDeniedResources(List<String> deniedResources) {
			this.deniedResources = deniedResources;
		}

		public Map<String, String> getResourceScopes() {
			return this.resourceScopes;
		}

		public void setResourceScopes(Map<String, String> resourceScopes) {
			this.resourceScopes = resourceScopes;
		}

		public List<String> getAllowedPrompts() {
			return this.allowedPrompts;
		}

		public void setAllowedPrompts(List<String> allowedPrompts) {
			this.allowedPrompts = allowedPrompts;
		}

		public List<String> getDeniedPrompts() {
			return this.deniedPrompts;
		}

		public void setDeniedPrompts(List<String> deniedPrompts) {
			this.deniedPrompts = deniedPrompts;
		}

		public Map<String, String> getPromptScopes() {
			return this.promptScopes;
		}

		public void setPromptScopes(Map<String, String> promptScopes) {
			this.promptScopes = promptScopes;
		}

		public Credential getCredential() {
			return this.credential;
		}

		public void setCredential(Credential credential) {
			this.credential = credential;
		}

	}

	public static class Credential {

		/** Environment variable (or property) holding the service's bearer token for the upstream. */
		private String bearerEnv;

		/** Header carrying the service credential instead of Authorization, e.g. X-Api-Key; needs header-env. */
		private String header;

		/** Environment variable (or property) holding the value of the header. */
		private String headerEnv;

		/** Audience to exchange the caller's token for (RFC 8693) on tool calls; needs mcp.governance.token-exchange.*. */
		private String tokenExchangeAudience;

		/** Scopes to ask for in the token exchange; empty to let the authorization server decide. */
		private List<String> tokenExchangeScopes = new ArrayList<>();

		/** The credential of tool calls. */
		DownstreamAuth toDownstreamAuth(String domain) {
			if (StringUtils.hasText(this.tokenExchangeAudience)) {
				return DownstreamAuth.tokenExchange(this.tokenExchangeAudience, this.tokenExchangeScopes);
			}
			return serviceAuth(domain);
		}

		/** The credential of what no caller makes: initialize and tools/list. */
		DownstreamAuth serviceAuth(String domain) {
			if (StringUtils.hasText(this.bearerEnv)) {
				return DownstreamAuth.bearerFromEnv(this.bearerEnv);
			}
			if (StringUtils.hasText(this.header) || StringUtils.hasText(this.headerEnv)) {
				if (!StringUtils.hasText(this.header) || !StringUtils.hasText(this.headerEnv)) {
					throw new GovernanceConfigurationException(
							"Upstream '" + domain + "' sets only one of credential.header and credential.header-env.",
							"Set both: the header's name and the variable holding its value.");
				}
				return DownstreamAuth.headerFromEnv(this.header, this.headerEnv);
			}
			return DownstreamAuth.none();
		}

		public String getBearerEnv() {
			return this.bearerEnv;
		}

		public void setBearerEnv(String bearerEnv) {
			this.bearerEnv = bearerEnv;
		}

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		public String getHeaderEnv() {
			return this.headerEnv;
		}

		public void setHeaderEnv(String headerEnv) {
			this.headerEnv = headerEnv;
		}

		public String getTokenExchangeAudience() {
			return this.tokenExchangeAudience;
		}

		public void setTokenExchangeAudience(String tokenExchangeAudience) {
			this.tokenExchangeAudience = tokenExchangeAudience;
		}

		public List<String> getTokenExchangeScopes() {
			return this.tokenExchangeScopes;
		}

		public void setTokenExchangeScopes(List<String> tokenExchangeScopes) {
			this.tokenExchangeScopes = tokenExchangeScopes;
		}

	}

	/** A credential the admin API may attach to an upstream by its name. */
	public static class NamedCredential extends Credential {

		/**
		 * URL globs of the upstreams this credential may be sent to, within gateway.allowed-urls;
		 * empty: any URL the admin API may add.
		 */
		private List<String> allowedUrls = new ArrayList<>();

		public List<String> getAllowedUrls() {
			return this.allowedUrls;
		}

		public void setAllowedUrls(List<String> allowedUrls) {
			this.allowedUrls = allowedUrls;
		}

	}

}
