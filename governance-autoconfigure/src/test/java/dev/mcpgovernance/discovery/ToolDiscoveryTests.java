package dev.mcpgovernance.discovery;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of discovery: no caller, ranking, signatures. */
class ToolDiscoveryTests {

	private static CatalogTool tool(String name, String domain, String description, Map<String, Object> properties,
			List<String> required) {
		return new CatalogTool(Tool.builder()
			.name(name)
			.description(description)
			.inputSchema(new JsonSchema("object", properties, required, null, null, null))
			.build(), domain);
	}

	private static final List<CatalogTool> TOOLS = List.of(
			tool("get_order", "orders", "Get an order by id. Includes its lines.", Map.of(), List.of()),
			tool("list_orders", "orders", "List orders of a customer", Map.of(), List.of()),
			tool("get_customer", "crm", "Get a customer", Map.of(), List.of()),
			tool("count_items", "inventory", "Count stock items", Map.of(), List.of()));

	@Test
	void withoutAVerifiedCallerEveryMetaToolAnswersUnauthenticated() {
		// The catalog and governor are never reached without a caller.
		ToolDiscovery discovery = new ToolDiscovery(null, null, 20, 3);
		for (CallToolResult result : List.of(discovery.discover(null, Map.of()),
				discovery.schema(null, Map.of("name", "get_order")),
				discovery.withVisibleTool(null, Map.of("name", "get_order"), (tool) -> {
					throw new AssertionError("must not run");
				}))) {
			assertThat(result.isError()).isTrue();
			assertThat(result.structuredContent()).isEqualTo(Map.of("error_code", "unauthenticated", "message",
					"No verified caller identity reached this tool call.", "details", Map.of()));
		}
	}

	@Test
	void searchRanksNameMatchesFirstAndIsDeterministic() {
		assertThat(ToolSearch.search(TOOLS, "order", 10)).extracting(CatalogTool::name)
			.containsExactly("get_order", "list_orders");
		assertThat(ToolSearch.search(TOOLS, "customer", 10)).extracting(CatalogTool::name)
			.containsExactly("get_customer", "list_orders");
		assertThat(ToolSearch.search(TOOLS, "stock", 10)).extracting(CatalogTool::name).containsExactly("count_items");
		assertThat(ToolSearch.search(TOOLS, "custmer", 10)).extracting(CatalogTool::name).first().isEqualTo("get_customer");
		assertThat(ToolSearch.search(TOOLS, "order", 1)).hasSize(1);
		assertThat(ToolSearch.search(TOOLS, "weather", 10)).isEmpty();
	}

	@Test
	void suggestionsAreCloseNamesOnly() {
		assertThat(ToolSearch.suggestions(TOOLS, "get_ordr", 3)).containsExactly("get_order", "get_customer");
		assertThat(ToolSearch.suggestions(TOOLS, "cancel_order", 3)).containsExactly("get_order", "list_orders");
		assertThat(ToolSearch.suggestions(TOOLS, "weather_forecast", 3)).isEmpty();
	}

	@Test
	void signaturesReadLikePython() {
		Map<String, Object> properties = new java.util.LinkedHashMap<>();
		properties.put("include_items", Map.of("type", "boolean", "default", false));
		properties.put("order_id", Map.of("type", "string"));
		properties.put("tags", Map.of("type", "array", "items", Map.of("type", "string")));
		properties.put("status", Map.of("type", "string", "enum", List.of("open", "closed")));
		CatalogTool tool = new CatalogTool(Tool.builder()
			.name("get_order")
			.description("Get an order.\nMore text.")
			.inputSchema(new JsonSchema("object", properties, List.of("order_id"), null, null, null))
			.outputSchema(Map.of("type", "object"))
			.build(), "orders");
		assertThat(PythonSignatures.of(tool)).isEqualTo("get_order(order_id: str, include_items: bool = False, "
				+ "tags: list[str] = None, status: Literal[\"open\", \"closed\"] = None) -> dict  # Get an order.");
	}

}
