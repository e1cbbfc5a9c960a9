package dev.mcpgovernance.connector.openapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.adapter.DataAdapter;
import dev.mcpgovernance.outbound.DownstreamAuthorizers;
import dev.mcpgovernance.outbound.RemoteCalls;
import dev.mcpgovernance.outbound.RequestAuthorizer;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.SourceUnavailableException;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.core.io.ResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;

/**
 * Every OpenAPI connector of the application, built at start-up: each included operation becomes
 * a tool specification (for the sync and the stateless server alike) whose policy is registered
 * with the {@link GovernedToolRegistry}, so the governor checks, limits, audits and redacts it
 * exactly like an {@code @GovernedTool} method. A tool's handler validates the arguments against
 * the generated schema, adds the connector's credential and calls through the
 * {@link OpenApiOperationClient} on the {@link RemoteCalls} path, inside the {@link AdapterResilience}
 * of the connector's data adapter {@code openapi-<connector>} (circuit breaker, retry of transient
 * failures, time limit).
 */
public class OpenApiConnectors {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final List<ConnectorTool> tools = new ArrayList<>();

	private final Map<String, ConnectorStatus> statuses = new LinkedHashMap<>();

	private final ObjectMapper objectMapper;

	private final RemoteCalls remoteCalls;

	/**
	 * @param connectors the connectors, from configuration and beans
	 * @param defaultDomain {@code mcp.governance.domain}, for connectors that name no domain
	 * @param resilience breaker, retry and time limit around each call of a connector's API
	 * @throws GovernanceConfigurationException for anything that must not be exposed or cannot work
	 */
	public OpenApiConnectors(List<OpenApiConnector> connectors, String defaultDomain, ResourceLoader resourceLoader,
			GovernedToolRegistry registry, DownstreamAuthorizers authorizers, AdapterResilience resilience,
			ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
		this.remoteCalls = new RemoteCalls(resilience);
		Set<String> names = new HashSet<>();
		for (OpenApiConnector connector : connectors) {
			if (!names.add(connector.name())) {
				throw new GovernanceConfigurationException("Connector '" + connector.name() + "' is declared twice.",
						"Give each connector its own name.");
			}
			String domain = StringUtils.hasText(connector.domain()) ? connector.domain() : defaultDomain;
			if (!StringUtils.hasText(domain)) {
				throw new GovernanceConfigurationException(
						"Connector '" + connector.name() + "' names no domain and mcp.governance.domain is not set.",
						"Set mcp.governance.openapi.connectors." + connector.name() + ".domain.");
			}
			OpenAPI api = OpenApiSpecLoader.load(resourceLoader, connector.name(), connector.spec());
			OpenApiOperationClient client = new OpenApiOperationClient(connector.name(), baseUrl(connector, api),
					connector.connectTimeout(), connector.readTimeout(), connector.maxResponseSize(), objectMapper);
			RequestAuthorizer authorizer = authorizers.resolve(connector.name(), connector.auth());
			ConnectorStatus status = new ConnectorStatus(new ConnectorAdapter(adapterName(connector.name())));
			for (OperationTool operation : OpenApiToolGenerator.generate(connector, api, domain)) {
				registry.register(new ToolPolicy(operation.toolName(), operation.scope(), true,
						"connector " + connector.name() + "#" + operation.operationId()));
				this.tools.add(new ConnectorTool(operation, client, authorizer, status));
			}
			this.statuses.put(connector.name(), status);
		}
	}

	/**
	 * The name of a connector's data adapter, {@code openapi-<connector>}: its Resilience4j instance
	 * name ({@code resilience4j.circuitbreaker.instances.openapi-<connector>.*}, {@code retry}, {@code timelimiter}).
	 */
	public static String adapterName(String connector) {
		return "openapi-" + connector;
	}

	/** The generated tools, in connector and include order. */
	public List<OperationTool> tools() {
		return this.tools.stream().map(ConnectorTool::operation).toList();
	}

	/** The breaker state of a connector's API: {@code closed}, {@code open}, {@code half_open}, … or {@code none}. */
	public String breakerState(String connector) {
		return this.remoteCalls.breakerState(adapterName(connector));
	}

	/** How each connector's API has answered lately, by connector name. */
	public Map<String, ConnectorStatus> statuses() {
		return Map.copyOf(this.statuses);
	}

	/** The tools for Spring AI's sync server (SSE and streamable HTTP, STDIO). */
	public List<McpServerFeatures.SyncToolSpecification> syncToolSpecifications() {
		return this.tools.stream()
			.map((tool) -> McpServerFeatures.SyncToolSpecification.builder()
				.tool(tool.mcpTool(this.objectMapper))
				.callHandler((exchange, request) -> call(tool, request.arguments(), exchange.transportContext()))
				.build())
			.toList();
	}

	/** The tools for Spring AI's stateless server. */
	public List<McpStatelessServerFeatures.SyncToolSpecification> statelessToolSpecifications() {
		return this.tools.stream()
			.map((tool) -> McpStatelessServerFeatures.SyncToolSpecification.builder()
				.tool(tool.mcpTool(this.objectMapper))
				.callHandler((context, request) -> call(tool, request.arguments(), context))
				.build())
			.toList();
	}

	private CallToolResult call(ConnectorTool tool, Map<String, Object> arguments, McpTransportContext context) {
		CallerIdentity caller = GovernanceContext.caller().orElse(null);
		InboundAccessToken inbound = InboundAccessToken.of(context);
		GovernanceContext.recordDataSource("openapi:" + tool.operation().connector(), false);
		OpenApiOperationClient.UpstreamResponse response;
		try {
			response = this.remoteCalls.call(tool.status().adapter(), () -> tool.client()
				.call(tool.operation(), arguments, (headers) -> tool.authorizer().authorize(headers, caller, inbound)));
		}
		catch (ToolErrorException ex) {
			tool.status().record(ex);
			throw ex;
		}
		catch (SourceUnavailableException ex) {
			tool.status().recordFailure(ToolErrorCode.SOURCE_UNAVAILABLE);
			throw ex;
		}
		tool.status().record(null);
		return toResult(response);
	}

	private CallToolResult toResult(OpenApiOperationClient.UpstreamResponse response) {
		if (response.body().length == 0) {
			return structured(Map.of("status", response.status()));
		}
		MediaType type = response.contentType();
		boolean json = type == null || type.isCompatibleWith(MediaType.APPLICATION_JSON)
				|| (type.getSubtype() != null && type.getSubtype().endsWith("+json"));
		if (json) {
			try {
				JsonNode node = this.objectMapper.readTree(response.body());
				// Structured content is a JSON object by the MCP spec: arrays and scalars are wrapped.
				Map<String, Object> content = node.isObject() ? this.objectMapper.convertValue(node, JSON_OBJECT)
						: Map.of(node.isArray() ? "items" : "value", this.objectMapper.convertValue(node, Object.class));
				return structured(content);
			}
			catch (JacksonException ex) {
				// Not JSON after all: passed back as text.
			}
		}
		return CallToolResult.builder()
			.addTextContent(new String(response.body(), StandardCharsets.UTF_8))
			.build();
	}

	private CallToolResult structured(Map<String, Object> content) {
		try {
			return CallToolResult.builder()
				.structuredContent(content)
				.addTextContent(this.objectMapper.writeValueAsString(content))
				.build();
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("A JSON tree could not be written back as JSON", ex);
		}
	}

	private static String baseUrl(OpenApiConnector connector, OpenAPI api) {
		if (StringUtils.hasText(connector.baseUrl())) {
			return connector.baseUrl();
		}
		List<Server> servers = (api.getServers() != null) ? api.getServers() : List.of();
		for (Server server : servers) {
			if (server.getUrl() != null && (server.getUrl().startsWith("https://") || server.getUrl().startsWith("http://"))) {
				return server.getUrl();
			}
		}
		throw new GovernanceConfigurationException(
				"Connector '" + connector.name() + "' has no base URL: its spec names no absolute server URL.",
				"Set mcp.governance.openapi.connectors." + connector.name() + ".base-url.");
	}

	/** A connector's API as a data source, so that it gets the adapters' breaker, retry and time limit. */
	private record ConnectorAdapter(String name) implements DataAdapter {
	}

	/** One generated tool with what its calls need. */
	private record ConnectorTool(OperationTool operation, OpenApiOperationClient client,
			RequestAuthorizer authorizer, ConnectorStatus status) {

		McpSchema.Tool mcpTool(ObjectMapper objectMapper) {
			boolean mutation = this.operation.mutation();
			HttpMethod method = this.operation.method();
			boolean idempotent = !mutation || method == HttpMethod.PUT || method == HttpMethod.DELETE;
			return McpSchema.Tool.builder()
				.name(this.operation.toolName())
				.description(this.operation.description())
				.inputSchema(this.operation.inputSchema())
				.annotations(new McpSchema.ToolAnnotations(null, !mutation, mutation, idempotent, true, null))
				.build();
		}

	}

	/** How a connector's API has answered lately, for health. */
	public static final class ConnectorStatus {

		private final DataAdapter adapter;

		private final AtomicInteger consecutiveFailures = new AtomicInteger();

		private volatile String lastError;

		ConnectorStatus(DataAdapter adapter) {
			this.adapter = adapter;
		}

		/** The connector's data adapter, whose name the resilience layer knows it by. */
		public DataAdapter adapter() {
			return this.adapter;
		}

		void recordFailure(ToolErrorCode code) {
			this.consecutiveFailures.incrementAndGet();
			this.lastError = code.wireName();
		}

		void record(ToolErrorException failure) {
			ToolErrorCode code = (failure != null) ? failure.error().code() : null;
			boolean apiFailed = code == ToolErrorCode.SOURCE_UNAVAILABLE || (code == ToolErrorCode.UPSTREAM_ERROR
					&& !(failure.error().details().get("status") instanceof Integer status && status < 500));
			if (apiFailed) {
				recordFailure(code);
			}
			else if (code == null || code == ToolErrorCode.UPSTREAM_ERROR) {
				// The API answered (a 4xx is the caller's mistake, not the API's health).
				this.consecutiveFailures.set(0);
			}
		}

		/** Calls in a row that found the API unreachable or answering 5xx. */
		public int consecutiveFailures() {
			return this.consecutiveFailures.get();
		}

		/** The error code of the last such call, or {@code null}. */
		public String lastError() {
			return this.lastError;
		}

	}

}
