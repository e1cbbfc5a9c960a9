package dev.mcpgovernance.testapp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.tool.GovernedTool;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;

/** Tools whose results carry personal data and secrets, for the redaction tests. */
public class CustomerTestTools {

	public static final String EMAIL = "jane.doe@example.com";

	public static final String CARD = "4111 1111 1111 1111";

	public static final String PASSWORD = "pa55-word-never-shown";

	public static final String NOTE = "prefers calls after noon";

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The same record as text (JSON) and as structured content. */
	@McpTool(name = "get_customer", description = "Get a customer")
	@GovernedTool(domain = "crm", resource = "customer", action = "read", redact = { "customer_note", "*_internal" })
	public CallToolResult getCustomer(@McpToolParam(description = "id") String customerId)
			throws JacksonException {
		Map<String, Object> customer = new LinkedHashMap<>();
		customer.put("id", customerId);
		customer.put("name", "Jane Doe");
		customer.put("status", "active");
		customer.put("contact", Map.of("note", "write to " + EMAIL, "password", PASSWORD));
		customer.put("payments", List.of(Map.of("method", "card " + CARD, "amount", 12.5)));
		customer.put("customer_note", NOTE);
		customer.put("Score_Internal", 0.87);
		return CallToolResult.builder()
			.addTextContent(JSON.writeValueAsString(customer))
			.addTextContent("Reach Jane at " + EMAIL + ", card " + CARD + ".")
			.structuredContent(customer)
			.build();
	}

	/** Nothing sensitive: must reach the caller byte for byte. */
	@McpTool(name = "get_customer_status", description = "Get a customer's status")
	@GovernedTool(domain = "crm", resource = "customer", action = "read")
	public CallToolResult getCustomerStatus(@McpToolParam(description = "id") String customerId) {
		String text = "{ \"id\" : \"" + customerId + "\",  \"status\":\"active\", \"since\": 2019 }";
		return CallToolResult.builder().addTextContent(text).structuredContent(Map.of("status", "active")).build();
	}

}
