package dev.mcpgovernance.discovery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.ToolCallGovernor;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorResults;
import dev.mcpgovernance.tool.UnknownToolName;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/**
 * What the meta-tools answer, whatever the transport. Everything is seen through the caller's
 * scopes: a tool the caller may not call is absent from every listing, search hit and suggestion,
 * and asking for it by name gets the very answer a name that exists nowhere gets.
 */
class ToolDiscovery {

	static final String JSON = "json";

	static final String SIGNATURES = "signatures";

	private static final ObjectMapper MAPPER = new ObjectMapper();

	private final ToolCatalog catalog;

	private final ToolCallGovernor governor;

	private final int maxResults;

	private final int maxSuggestions;

	public ToolDiscovery(ToolCatalog catalog, ToolCallGovernor governor, int maxResults, int maxSuggestions) {
		this.catalog = catalog;
		this.governor = governor;
		this.maxResults = maxResults;
		this.maxSuggestions = maxSuggestions;
	}

	/** The server instructions of progressive mode: the domains and the workflow. */
	public String instructions() {
		TreeSet<String> domains = new TreeSet<>();
		this.catalog.tools().forEach((tool) -> domains.add(tool.domain()));
		return "This server's tools are found on demand, not listed. Domains: " + String.join(", ", domains) + ". "
				+ "1. discover_tools() lists the domains; discover_tools(domain) lists a domain's tools; "
				+ "discover_tools(query) searches them; format=\"signatures\" answers with Python-style signatures. "
				+ "2. get_tool_schema(name) gives a tool's full input schema. "
				+ "3. execute_tool(name, arguments) runs the tool. "
				+ "Only the tools your credentials allow are shown.";
	}

	/** {@code discover_tools(domain?, query?, format)}. */
	public CallToolResult discover(CallerIdentity caller, Map<String, Object> arguments) {
		if (caller == null) {
			return unauthenticated();
		}
		Optional<String> domain = text(arguments, "domain");
		Optional<String> query = text(arguments, "query");
		String format = text(arguments, "format").map((each) -> each.toLowerCase(Locale.ROOT)).orElse(JSON);
		if (!JSON.equals(format) && !SIGNATURES.equals(format)) {
			return ToolErrorResults.toResult(new ToolError(ToolErrorCode.INVALID_INPUT,
					"format must be \"json\" or \"signatures\".", Map.of("field", "format")));
		}
		List<CatalogTool> visible = this.catalog.tools()
			.stream()
			.filter((tool) -> this.governor.permits(tool.name(), caller))
			.filter((tool) -> domain.isEmpty() || tool.domain().equals(domain.get()))
			.toList();
		if (query.isPresent()) {
			List<CatalogTool> hits = ToolSearch.search(visible, query.get(), this.maxResults);
			return SIGNATURES.equals(format) ? text(signatures(hits))
					: json(orderedMap("query", query.get(), "tools", hits.stream().map(ToolDiscovery::withDomain).toList()));
		}
		if (domain.isPresent()) {
			return SIGNATURES.equals(format) ? text(signatures(visible)) : json(orderedMap("domain", domain.get(), "tools",
					visible.stream().map(ToolDiscovery::summary).toList()));
		}
		Map<String, Integer> counts = new TreeMap<>();
		visible.forEach((tool) -> counts.merge(tool.domain(), 1, Integer::sum));
		if (SIGNATURES.equals(format)) {
			StringBuilder lines = new StringBuilder();
			counts.forEach((name, count) -> lines.append(name).append("  # ").append(count).append(" tools\n"));
			return text(lines.toString());
		}
		return json(Map.of("domains", counts.entrySet()
			.stream()
			.map((entry) -> orderedMap("domain", entry.getKey(), "tools", entry.getValue()))
			.toList()));
	}

	/** {@code get_tool_schema(name)}. */
	public CallToolResult schema(CallerIdentity caller, Map<String, Object> arguments) {
		return withVisibleTool(caller, arguments, (tool) -> {
			Map<String, Object> schema = orderedMap("name", tool.name(), "domain", tool.domain());
			schema.put("description", (tool.tool().description() != null) ? tool.tool().description() : "");
			schema.put("signature", PythonSignatures.of(tool));
			schema.put("inputSchema", tool.tool().inputSchema());
			if (tool.tool().outputSchema() != null) {
				schema.put("outputSchema", tool.tool().outputSchema());
			}
			return json(schema);
		});
	}

	/**
	 * Runs {@code then} with the tool the arguments name, when the caller may call it; answers
	 * {@code tool_not_found} (or {@code unauthenticated}, {@code invalid_input}) otherwise.
	 */
	CallToolResult withVisibleTool(CallerIdentity caller, Map<String, Object> arguments,
			Function<CatalogTool, CallToolResult> then) {
		if (caller == null) {
			return unauthenticated();
		}
		Optional<String> name = text(arguments, "name");
		if (name.isEmpty()) {
			return nameRequired();
		}
		Optional<CatalogTool> tool = this.catalog.find(name.get())
			.filter((each) -> this.governor.permits(each.name(), caller));
		return tool.map(then).orElseGet(() -> notFound(caller, name.get()));
	}

	/**
	 * {@code execute_tool(name, arguments)}: hands the tool the arguments name to {@code run} (its
	 * governed handler, which records the call) when the caller may call it. Every refusal here is
	 * recorded as well, since no governed handler sees it: without a verified caller or a name, as a
	 * call of {@code execute_tool}; a name the catalog does not have, by its shape
	 * ({@link UnknownToolName}); a tool the caller may not call, as the same call sent directly would
	 * be refused, although the caller is answered {@code tool_not_found} as for a name that exists
	 * nowhere.
	 */
	CallToolResult execute(CallerIdentity caller, Map<String, Object> arguments,
			Function<CatalogTool, CallToolResult> run) {
		if (caller == null) {
			this.governor.report(MetaTools.EXECUTE_TOOL, null, ToolErrorCode.UNAUTHENTICATED, arguments);
			return unauthenticated();
		}
		Optional<String> name = text(arguments, "name");
		if (name.isEmpty()) {
			this.governor.report(MetaTools.EXECUTE_TOOL, caller, ToolErrorCode.INVALID_INPUT, arguments);
			return nameRequired();
		}
		Optional<CatalogTool> tool = this.catalog.find(name.get());
		if (tool.isPresent() && this.governor.permits(tool.get().name(), caller)) {
			return run.apply(tool.get());
		}
		if (tool.isPresent()) {
			this.governor.reportHidden(tool.get().name(), caller, toolArguments(arguments));
		}
		else {
			this.governor.report(UnknownToolName.of(name.get()), caller, ToolErrorCode.TOOL_NOT_FOUND,
					toolArguments(arguments));
		}
		return notFound(caller, name.get());
	}

	/** The arguments {@code execute_tool} passes on to the tool; empty when they are not an object. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> toolArguments(Map<String, Object> metaArguments) {
		Object arguments = (metaArguments != null) ? metaArguments.get("arguments") : null;
		return (arguments instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	private CallToolResult notFound(CallerIdentity caller, String name) {
		List<CatalogTool> visible = this.catalog.tools()
			.stream()
			.filter((tool) -> this.governor.permits(tool.name(), caller))
			.toList();
		// The message does not echo the name: the answer for a hidden tool and a missing one must be identical.
		return ToolErrorResults.toResult(new ToolError(ToolErrorCode.TOOL_NOT_FOUND,
				"No tool by that name is available to this caller. Call discover_tools to see the tools you can use.",
				Map.of("suggestions", ToolSearch.suggestions(visible, name, this.maxSuggestions))));
	}

	private static CallToolResult nameRequired() {
		return ToolErrorResults
			.toResult(new ToolError(ToolErrorCode.INVALID_INPUT, "name is required.", Map.of("field", "name")));
	}

	private static CallToolResult unauthenticated() {
		return ToolErrorResults
			.toResult(ToolError.of(ToolErrorCode.UNAUTHENTICATED, "No verified caller identity reached this tool call."));
	}

	private static Optional<String> text(Map<String, Object> arguments, String key) {
		Object value = (arguments != null) ? arguments.get(key) : null;
		return (value instanceof String text && !text.isBlank()) ? Optional.of(text.strip()) : Optional.empty();
	}

	private static String signatures(List<CatalogTool> tools) {
		StringBuilder lines = new StringBuilder();
		tools.forEach((tool) -> lines.append(PythonSignatures.of(tool)).append('\n'));
		return lines.toString();
	}

	private static Map<String, Object> summary(CatalogTool tool) {
		return orderedMap("name", tool.name(), "description", tool.summary());
	}

	private static Map<String, Object> withDomain(CatalogTool tool) {
		Map<String, Object> map = orderedMap("name", tool.name(), "domain", tool.domain());
		map.put("description", tool.summary());
		return map;
	}

	private static Map<String, Object> orderedMap(String key1, Object value1, String key2, Object value2) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put(key1, value1);
		map.put(key2, value2);
		return map;
	}

	private static CallToolResult json(Map<String, Object> body) {
		try {
			return text(MAPPER.writeValueAsString(body));
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Unserializable discovery answer", ex);
		}
	}

	private static CallToolResult text(String text) {
		return CallToolResult.builder().addTextContent(text).isError(false).build();
	}

}
