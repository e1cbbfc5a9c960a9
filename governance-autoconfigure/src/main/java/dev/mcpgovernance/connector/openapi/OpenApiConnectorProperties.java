package dev.mcpgovernance.connector.openapi;

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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * OpenAPI connectors declared in configuration, by name: {@code mcp.governance.openapi.connectors.<name>.*}.
 * Connectors still written under their key before issue 24, {@code mcp.governance.connectors.<name>.*},
 * are read too, with a warning.
 */
@Validated
@ConfigurationProperties(prefix = OpenApiConnectorProperties.PREFIX)
public class OpenApiConnectorProperties implements EnvironmentAware, InitializingBean {

	/** The prefix the {@code connectors} map sits under. */
	public static final String PREFIX = "mcp.governance.openapi";

	/** Where the connectors were configured before they moved under {@link #PREFIX}. */
	static final String MOVED_CONNECTORS = GovernanceProperties.PREFIX + ".connectors";

	/** OpenAPI connectors by name; each turns the operations it includes into governed tools. */
	private Map<String, @Valid Connector> connectors = new LinkedHashMap<>();

	// Read once the properties are bound, for connectors still written under their old key.
	private Environment environment;

	public Map<String, Connector> getConnectors() {
		return this.connectors;
	}

	public void setConnectors(Map<String, Connector> connectors) {
		this.connectors = connectors;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.environment != null) {
			MovedProperties.addMovedEntries(this.environment, MOVED_CONNECTORS, PREFIX + ".connectors",
					Connector.class, this.connectors);
		}
	}

	/** The connectors as their Java form, in declaration order. */
	List<OpenApiConnector> toConnectors() {
		List<OpenApiConnector> result = new ArrayList<>();
		this.connectors.forEach((name, connector) -> result.add(connector.toConnector(name)));
		return result;
	}

	public static class Connector {

		/** Location of the OpenAPI 3.x document: classpath:, file: or an http(s) URL. */
		@NotBlank
		private String spec;

		/** Scope domain of the generated tools; mcp.governance.domain when not set. */
		private String domain;

		/** URL the operations are called at; the spec's first absolute server URL when not set. */
		private String baseUrl;

		/** operationIds to expose as tools; nothing that is not listed is exposed. */
		private List<String> include = new ArrayList<>();

		/** Tool names by operationId, to rename tools; the operationId is the name otherwise. */
		private Map<String, String> names = new LinkedHashMap<>();

		/** Whether POST, PUT, PATCH and DELETE operations may be exposed (marked destructive). */
		private boolean allowMutations;

		/** Scope overrides by operationId, "resource:action" or "domain:resource:action". */
		private Map<String, String> scopes = new LinkedHashMap<>();

		/** Time allowed to connect to the API. */
		@NotNull
		private Duration connectTimeout = Duration.ofSeconds(5);

		/** Time allowed for the API's answer. */
		@NotNull
		private Duration readTimeout = Duration.ofSeconds(30);

		/** Largest response body passed back to the caller; a larger one is an upstream_error. */
		@NotNull
		private DataSize maxResponseSize = DataSize.ofMegabytes(1);

		/** How requests authenticate to the API. */
		@Valid
		private Auth auth = new Auth();

		OpenApiConnector toConnector(String name) {
			return new OpenApiConnector(name, this.spec, this.domain, this.baseUrl, this.include, this.names,
					this.allowMutations, this.scopes, this.auth.toDownstreamAuth(name), this.connectTimeout,
					this.readTimeout, this.maxResponseSize);
		}

		public String getSpec() {
			return this.spec;
		}

		public void setSpec(String spec) {
			this.spec = spec;
		}

		public String getDomain() {
			return this.domain;
		}

		public void setDomain(String domain) {
			this.domain = domain;
		}

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public List<String> getInclude() {
			return this.include;
		}

		public void setInclude(List<String> include) {
			this.include = include;
		}

		public Map<String, String> getNames() {
			return this.names;
		}

		public void setNames(Map<String, String> names) {
			this.names = names;
		}

		public boolean isAllowMutations() {
			return this.allowMutations;
		}

		public void setAllowMutations(boolean allowMutations) {
			this.allowMutations = allowMutations;
		}

		public Map<String, String> getScopes() {
			return this.scopes;
		}

		public void setScopes(Map<String, String> scopes) {
			this.scopes = scopes;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public Auth getAuth() {
			return this.auth;
		}

		public void setAuth(Auth auth) {
			this.auth = auth;
		}

	}

	public static class Auth {

		/** How requests authenticate to the API. */
		@NotNull
		private AuthType type = AuthType.NONE;

		/** Environment variable (or property) holding the credential, for bearer-from-env and header-from-env. */
		private String env;

		/** Header carrying the credential, for header-from-env. */
		private String header;

		/** The API's audience at the authorization server, for token-exchange. */
		private String audience;

		/** Scopes to ask for in the token exchange; none lets the authorization server decide. */
		private List<String> scopes = new ArrayList<>();

		DownstreamAuth toDownstreamAuth(String connector) {
			return switch (this.type) {
				case NONE -> DownstreamAuth.none();
				case BEARER_FROM_ENV -> DownstreamAuth.bearerFromEnv(required(connector, "env", this.env));
				case HEADER_FROM_ENV -> DownstreamAuth.headerFromEnv(required(connector, "header", this.header),
						required(connector, "env", this.env));
				case TOKEN_EXCHANGE -> DownstreamAuth.tokenExchange(required(connector, "audience", this.audience),
						this.scopes);
			};
		}

		private String required(String connector, String property, String value) {
			if (value == null || value.isBlank()) {
				throw new GovernanceConfigurationException(
						"Connector '" + connector + "' uses auth type " + this.type + " without auth." + property + ".",
						"Set " + PREFIX + ".connectors." + connector + ".auth." + property + ".");
			}
			return value;
		}

		public AuthType getType() {
			return this.type;
		}

		public void setType(AuthType type) {
			this.type = type;
		}

		public String getEnv() {
			return this.env;
		}

		public void setEnv(String env) {
			this.env = env;
		}

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		public String getAudience() {
			return this.audience;
		}

		public void setAudience(String audience) {
			this.audience = audience;
		}

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

	}

	public enum AuthType {

		/** No credential. */
		NONE,

		/** Authorization: Bearer with the value of an environment variable. */
		BEARER_FROM_ENV,

		/** A named header with the value of an environment variable. */
		HEADER_FROM_ENV,

		/** The caller's access token exchanged (RFC 8693) for one for the API's audience. */
		TOKEN_EXCHANGE

	}

}
