package dev.mcpgovernance.discovery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.SelfGovernedTools;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorResults;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The three meta-tools of progressive mode, added to the running MCP server once the context is
 * ready. They are not tool-specification beans on purpose: those are governed per tool (and would be
 * refused as ungoverned), whereas the meta-tools need only a verified caller and
 * {@code execute_tool} hands the call to the real tool's governed handler, so the scope check, rate
 * limits, audit event and redaction are those of the real tool. What {@code execute_tool} refuses
 * before that handler (an unknown or hidden tool, no caller, no name) it records itself.
 */
class MetaTools implements SmartInitializingSingleton, SelfGovernedTools {

	public static final String DISCOVER_TOOLS = "discover_tools";

	public static final String GET_TOOL_SCHEMA = "get_tool_schema";

	public static final String EXECUTE_TOOL = "execute_tool";

	/** Only where tools are added at run time (a gateway): reads the upstreams again. */
	public static final String REFRESH_REGISTRY = "refresh_registry";

	/** The meta-tools every progressive server has. */
	public static final Set<String> NAMES = Set.of(DISCOVER_TOOLS, GET_TOOL_SCHEMA, EXECUTE_TOOL);

	/** Whether a tool is a meta-tool: the three, or refresh_registry where a gateway exists. */
	public static boolean isMetaTool(String name) {
		return NAMES.contains(name) || REFRESH_REGISTRY.equals(name);
	}

	/**
	 * Needed to call {@code refresh_registry}: it makes this server connect to every upstream, so not
	 * every verified caller may trigger it; the same scope the admin API needs to change upstreams.
	 */
	public static final Scope REFRESH_SCOPE = Scope.required("governance", "upstream", "write");

	private final ToolDiscovery discovery;

	private final ToolCatalog catalog;

	private final CallerToolView view;

	private final ObjectProvider<McpSyncServer> server;

	private final ObjectProvider<McpStatelessSyncServer> statelessServer;

	public MetaTools(ToolDiscovery discovery, ToolCatalog catalog, CallerToolView view,
			ObjectProvider<McpSyncServer> server, ObjectProvider<McpStatelessSyncServer> statelessServer) {
		this.discovery = discovery;
		this.catalog = catalog;
		this.view = view;
		this.server = server;
		this.statelessServer = statelessServer;
	}

	@Override
	public Optional<String> governance(String toolName) {
		return switch (toolName) {
			case DISCOVER_TOOLS, GET_TOOL_SCHEMA -> Optional.of("(meta-tool: any verified caller)");
			case EXECUTE_TOOL -> Optional.of("(meta-tool: the called tool's scope)");
			case REFRESH_REGISTRY -> Optional.of(REFRESH_SCOPE.toString());
			default -> Optional.empty();
		};
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.catalog.tools().stream().filter((tool) -> isMetaTool(tool.name())).findAny().ifPresent((tool) -> {
			throw new GovernanceConfigurationException(
					"Tool '" + tool.name() + "' has the name of a discovery meta-tool.",
					"Rename the tool, or set mcp.governance.discovery.mode=direct.");
		});
		this.server.ifAvailable((mcp) -> statefulSpecifications().forEach(mcp::addTool));
		this.server.ifAvailable((mcp) -> statefulRefresh().ifPresent(mcp::addTool));
		this.statelessServer.ifAvailable((mcp) -> statelessRefresh().ifPresent(mcp::addTool));
		this.statelessServer.ifAvailable((mcp) -> statelessSpecifications().forEach(mcp::addTool));
	}

	/** The meta-tools for a stateful server (streamable HTTP, SSE, STDIO). */
	public List<McpServerFeatures.SyncToolSpecification> statefulSpecifications() {
		return List.of(
				new McpServerFeatures.SyncToolSpecification(discoverTools(),
						(exchange, request) -> this.discovery.discover(caller(exchange.transportContext()),
								request.arguments())),
				new McpServerFeatures.SyncToolSpecification(getToolSchema(),
						(exchange, request) -> this.discovery.schema(caller(exchange.transportContext()),
								request.arguments())),
				new McpServerFeatures.SyncToolSpecification(executeTool(),
						(exchange, request) -> this.discovery.execute(caller(exchange.transportContext()),
								request.arguments(),
								(tool) -> this.catalog.statefulSpecification(tool.name())
									.orElseThrow()
									.callHandler()
									.apply(exchange, realCall(tool, request)))));
	}

	/** The meta-tools for a stateless server. */
	public List<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecifications() {
		return List.of(
				new McpStatelessServerFeatures.SyncToolSpecification(discoverTools(),
						(context, request) -> this.discovery.discover(caller(context), request.arguments())),
				new McpStatelessServerFeatures.SyncToolSpecification(getToolSchema(),
						(context, request) -> this.discovery.schema(caller(context), request.arguments())),
				new McpStatelessServerFeatures.SyncToolSpecification(executeTool(),
						(context, request) -> this.discovery.execute(caller(context), request.arguments(),
								(tool) -> this.catalog.statelessSpecification(tool.name())
									.orElseThrow()
									.callHandler()
									.apply(context, realCall(tool, request)))));
	}

	/** {@code refresh_registry} for a stateful server, when there is a source of run-time tools. */
	public Optional<McpServerFeatures.SyncToolSpecification> statefulRefresh() {
		return this.catalog.dynamicSource()
			.map((source) -> new McpServerFeatures.SyncToolSpecification(refreshRegistry(),
					(exchange, request) -> refresh(source, caller(exchange.transportContext()))));
	}

	/** {@code refresh_registry} for a stateless server, when there is a source of run-time tools. */
	public Optional<McpStatelessServerFeatures.SyncToolSpecification> statelessRefresh() {
		return this.catalog.dynamicSource()
			.map((source) -> new McpStatelessServerFeatures.SyncToolSpecification(refreshRegistry(),
					(context, request) -> refresh(source, caller(context))));
	}

	private CallToolResult refresh(DynamicToolSource source, CallerIdentity caller) {
		if (caller == null) {
			return ToolErrorResults.toResult(
					ToolError.of(ToolErrorCode.UNAUTHENTICATED, "No verified caller identity reached this tool call."));
		}
		if (!caller.holds(REFRESH_SCOPE)) {
			return ToolErrorResults.toResult(ToolError.missingScope(REFRESH_REGISTRY, REFRESH_SCOPE));
		}
		Map<String, Object> summary = new LinkedHashMap<>(source.reload());
		// The catalog follows the source's version; reading it here rebuilds it before the answer.
		summary.put("tools", this.catalog.tools().size());
		return CallToolResult.builder().structuredContent(summary).addTextContent(summary.toString()).build();
	}

	private CallerIdentity caller(McpTransportContext context) {
		return this.view.callerOf(context);
	}

	private static CallToolRequest realCall(CatalogTool tool, CallToolRequest metaCall) {
		return new CallToolRequest(tool.name(), ToolDiscovery.toolArguments(metaCall.arguments()), metaCall.meta());
	}

	static Tool discoverTools() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("domain", Map.of("type", "string", "description", "List this domain's tools"));
		properties.put("query", Map.of("type", "string", "description", "Search tools by words"));
		properties.put("format", Map.of("type", "string", "enum", List.of(ToolDiscovery.JSON, ToolDiscovery.SIGNATURES),
				"default", ToolDiscovery.JSON, "description", "json, or Python-style signatures"));
		return Tool.builder()
			.name(DISCOVER_TOOLS)
			.description("Find tools: without arguments the domains with their tool counts; with domain that "
					+ "domain's tools; with query the best matches.")
			.inputSchema(objectSchema(properties, List.of()))
			.annotations(readOnly())
			.build();
	}

	static Tool getToolSchema() {
		return Tool.builder()
			.name(GET_TOOL_SCHEMA)
			.description("The full input schema of one tool, by name.")
			.inputSchema(objectSchema(Map.of("name", Map.of("type", "string", "description", "Tool name")), List.of("name")))
			.annotations(readOnly())
			.build();
	}

	static Tool executeTool() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("name", Map.of("type", "string", "description", "Tool name"));
		properties.put("arguments", Map.of("type", "object", "description", "The tool's arguments, as its schema says"));
		return Tool.builder()
			.name(EXECUTE_TOOL)
			.description("Run one tool by name with its arguments.")
			.inputSchema(objectSchema(properties, List.of("name")))
			.build();
	}

	private static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("type", "object");
		schema.put("properties", properties);
		schema.put("required", required);
		schema.put("additionalProperties", false);
		return schema;
	}

	static Tool refreshRegistry() {
		return Tool.builder()
			.name(REFRESH_REGISTRY)
			.description("Read the upstream MCP servers' tools again now, instead of at the next scheduled refresh. "
					+ "Needs scope " + REFRESH_SCOPE + ".")
			.inputSchema(objectSchema(Map.of(), List.of()))
			.annotations(new ToolAnnotations(null, false, false, true, true, null))
			.build();
	}

	private static ToolAnnotations readOnly() {
		return new ToolAnnotations(null, true, false, true, false, null);
	}

}
