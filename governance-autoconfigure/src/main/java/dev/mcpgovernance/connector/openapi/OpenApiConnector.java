package dev.mcpgovernance.connector.openapi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mcpgovernance.outbound.DownstreamAuth;

import org.springframework.util.unit.DataSize;

/**
 * One OpenAPI connector: which spec, which of its operations become governed tools, and how they
 * reach the API. Declared in configuration ({@code mcp.governance.openapi.connectors.<name>.*}) or as a
 * bean:
 *
 * <pre>
 * &#64;Bean
 * OpenApiConnector petstore() {
 *     return OpenApiConnector.builder("petstore")
 *         .spec("classpath:petstore.json")
 *         .baseUrl("https://petstore.example/api/v3")
 *         .include("getPetById", "findPetsByStatus")
 *         .auth(DownstreamAuth.bearerFromEnv("PETSTORE_TOKEN"))
 *         .build();
 * }
 * </pre>
 *
 * @param name the connector's name, in start-up messages, health and the audit's data source
 * @param spec where the OpenAPI 3.x document is: {@code classpath:}, {@code file:} or an http(s) URL
 * @param domain the scope domain of its tools; {@code null} for {@code mcp.governance.domain}
 * @param baseUrl the URL operations are called at; {@code null} for the spec's first absolute server
 * @param include the operationIds to expose; nothing else is
 * @param names tool names by operationId, where the operationId should not be the tool's name
 * @param allowMutations whether POST, PUT, PATCH and DELETE operations may be exposed
 * @param scopes scope overrides by operationId: {@code resource:action} or {@code domain:resource:action}
 * @param auth how requests authenticate downstream
 * @param connectTimeout time allowed to connect to the API
 * @param readTimeout time allowed for the API's answer
 * @param maxResponseSize the largest response body passed back
 */
public record OpenApiConnector(String name, String spec, String domain, String baseUrl, List<String> include,
		Map<String, String> names, boolean allowMutations, Map<String, String> scopes, DownstreamAuth auth,
		Duration connectTimeout, Duration readTimeout, DataSize maxResponseSize) {

	public OpenApiConnector {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(spec, "spec");
		include = List.copyOf(include);
		names = Map.copyOf(names);
		scopes = Map.copyOf(scopes);
		Objects.requireNonNull(auth, "auth");
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(readTimeout, "readTimeout");
		Objects.requireNonNull(maxResponseSize, "maxResponseSize");
	}

	public static Builder builder(String name) {
		return new Builder(name);
	}

	/** Builds an {@link OpenApiConnector}; every setting but the spec has a default. */
	public static final class Builder {

		private final String name;

		private String spec;

		private String domain;

		private String baseUrl;

		private List<String> include = List.of();

		private final Map<String, String> names = new LinkedHashMap<>();

		private boolean allowMutations;

		private final Map<String, String> scopes = new LinkedHashMap<>();

		private DownstreamAuth auth = DownstreamAuth.none();

		private Duration connectTimeout = Duration.ofSeconds(5);

		private Duration readTimeout = Duration.ofSeconds(30);

		private DataSize maxResponseSize = DataSize.ofMegabytes(1);

		private Builder(String name) {
			this.name = name;
		}

		public Builder spec(String spec) {
			this.spec = spec;
			return this;
		}

		public Builder domain(String domain) {
			this.domain = domain;
			return this;
		}

		public Builder baseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		public Builder include(String... operationIds) {
			this.include = List.of(operationIds);
			return this;
		}

		public Builder include(List<String> operationIds) {
			this.include = List.copyOf(operationIds);
			return this;
		}

		public Builder name(String operationId, String toolName) {
			this.names.put(operationId, toolName);
			return this;
		}

		public Builder allowMutations(boolean allowMutations) {
			this.allowMutations = allowMutations;
			return this;
		}

		/** @param scope {@code resource:action} or {@code domain:resource:action} */
		public Builder scope(String operationId, String scope) {
			this.scopes.put(operationId, scope);
			return this;
		}

		public Builder auth(DownstreamAuth auth) {
			this.auth = auth;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		public Builder maxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
			return this;
		}

		public OpenApiConnector build() {
			return new OpenApiConnector(this.name, this.spec, this.domain, this.baseUrl, this.include, this.names,
					this.allowMutations, this.scopes, this.auth, this.connectTimeout, this.readTimeout,
					this.maxResponseSize);
		}

	}

}
