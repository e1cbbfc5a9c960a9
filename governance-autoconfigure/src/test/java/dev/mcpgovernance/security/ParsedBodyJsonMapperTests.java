package dev.mcpgovernance.security;

import java.io.IOException;
import java.util.HashMap;

import dev.mcpgovernance.http.JsonRpcMessages;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport reads the message the JSON-RPC filter parsed instead of parsing the body again, but
 * only for the very text the filter parsed on the same request: anything else is parsed as it is.
 */
class ParsedBodyJsonMapperTests {

	private static final String BODY = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
			+ "\"params\":{\"name\":\"get_order\",\"arguments\":{\"orderId\":\"ord_1\",\"qty\":2.5}}}";

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");

	@AfterEach
	void resetRequestContext() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void theBodyTheFilterParsedIsReadFromItsTree() throws IOException {
		// A tree that is not the body's parse shows where the message came from.
		filterParsed(BODY, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"from_tree\"}}");
		McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(mapper(JsonMapper.builder().build()), BODY);
		assertThat(message).isInstanceOfSatisfying(McpSchema.JSONRPCRequest.class, (call) -> {
			assertThat(call.id()).isEqualTo(8);
			assertThat(call.params()).asString().contains("from_tree");
		});
	}

	@Test
	void aTreeReadsAsTheTextWould() throws IOException {
		filterParsed(BODY, BODY);
		McpJsonMapper reused = mapper(JsonMapper.builder().build());
		McpSchema.JSONRPCMessage fromTree = McpSchema.deserializeJsonRpcMessage(reused, BODY);
		RequestContextHolder.resetRequestAttributes();
		assertThat(fromTree).isEqualTo(McpSchema.deserializeJsonRpcMessage(reused, BODY));
	}

	@Test
	void theMapHandedOutConvertsToTheSameMessageWithoutTheRequestToo() throws IOException {
		filterParsed(BODY, BODY);
		McpJsonMapper reused = mapper(JsonMapper.builder().build());
		HashMap<String, Object> map = reused.readValue(BODY, new TypeRef<HashMap<String, Object>>() {
		});
		assertThat(map).containsOnlyKeys("jsonrpc", "id", "method", "params");
		RequestContextHolder.resetRequestAttributes();
		assertThat(reused.convertValue(map, McpSchema.JSONRPCRequest.class))
			.isEqualTo(McpSchema.deserializeJsonRpcMessage(reused, BODY));
	}

	@Test
	void otherTextIsParsedNotTakenFromTheFiltersTree() throws IOException {
		filterParsed(BODY, BODY);
		String other = BODY.replace("get_order", "delete_order");
		McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(mapper(JsonMapper.builder().build()), other);
		assertThat(((McpSchema.JSONRPCRequest) message).params()).asString().contains("delete_order");
	}

	@Test
	void aMapperThatReadsNumbersDifferentlyParsesTheText() throws IOException {
		filterParsed(BODY, BODY.replace("get_order", "from_tree"));
		JsonMapper decimals = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
		McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(mapper(decimals), BODY);
		assertThat(((McpSchema.JSONRPCRequest) message).params()).asString().contains("get_order").contains("2.5");
	}

	@Test
	void withoutARequestTheTextIsParsed() throws IOException {
		McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(mapper(JsonMapper.builder().build()), BODY);
		assertThat(((McpSchema.JSONRPCRequest) message).id()).isEqualTo(7);
	}

	private void filterParsed(String body, String tree) {
		this.request.setAttribute(JsonRpcMessages.BODY_ATTRIBUTE, body);
		this.request.setAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE, JsonMapper.builder().build().readTree(tree));
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(this.request));
	}

	private static McpJsonMapper mapper(JsonMapper jsonMapper) {
		return new ParsedBodyJsonMapper(jsonMapper);
	}

}
