package dev.mcpgovernance.security;

import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.security.RawHttp.Request;
import dev.mcpgovernance.testapp.GovernedTestApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The edge on the legacy SSE protocol: {@code /sse} serves GET (the event stream), {@code
 * /mcp/message} POST (with the session in the query). Requests here name a session that does not
 * exist, so those that pass every check get the unknown session's 404; the SDK client's own test
 * covers a live session.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=SSE",
				"spring.datasource.url=jdbc:h2:mem:edge-sse;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class McpEdgeSseIntegrationTests extends McpEdgeContract {

	@Override
	String messagePath() {
		return "/mcp/message";
	}

	@Override
	Request post(String key, String body) {
		return basePost("/mcp/message?sessionId=unknown-sse-session", key, body);
	}

	@Override
	List<Row> protocolRows(String key) {
		List<Row> rows = new ArrayList<>();
		rows.add(Row.of("an unknown session", post(key, TOOLS_LIST), 404, "unknown-sse-session"));
		rows.add(Row.of("no session", basePost("/mcp/message", key, TOOLS_LIST), 400));
		rows.add(Row.of("an over-long session", basePost("/mcp/message?sessionId=" + "s".repeat(4000), key, TOOLS_LIST),
				404, "sssss"));
		rows.add(Row.of("any Accept on the message endpoint", withAccept(post(key, TOOLS_LIST), "text/html"), 404));
		rows.add(Row.of("GET /sse with Accept: text/html",
				Request.of("GET", "/sse").header("X-API-Key", key).header("Accept", "text/html"), 406));
		rows.add(Row.of("GET /sse without Accept", Request.of("GET", "/sse").header("X-API-Key", key), 406));
		rows.add(Row.of("POST /sse", basePost("/sse", key, TOOLS_LIST), 405));
		rows.add(Row.of("GET /mcp/message", Request.of("GET", "/mcp/message").header("X-API-Key", key)
			.header("Accept", "text/event-stream"), 405));
		rows.add(Row.of("POST /mcp, not served on this protocol", basePost("/mcp", key, TOOLS_LIST), 404));
		return rows;
	}

}
