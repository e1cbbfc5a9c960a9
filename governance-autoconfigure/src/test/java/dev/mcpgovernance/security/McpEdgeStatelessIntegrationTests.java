package dev.mcpgovernance.security;

import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.security.RawHttp.Answer;
import dev.mcpgovernance.security.RawHttp.Request;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge on the STATELESS protocol: {@code /mcp} serves POST only, without sessions. */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STATELESS",
				"spring.datasource.url=jdbc:h2:mem:edge-stateless;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class McpEdgeStatelessIntegrationTests extends McpEdgeContract {

	@Override
	String messagePath() {
		return "/mcp";
	}

	@Override
	Request post(String key, String body) {
		return basePost("/mcp", key, body);
	}

	@Override
	List<Row> protocolRows(String key) {
		List<Row> rows = new ArrayList<>();
		rows.add(Row.of("a well-formed request", post(key, TOOLS_LIST), 200));
		rows.add(Row.of("a supported MCP-Protocol-Version", post(key, TOOLS_LIST).header("MCP-Protocol-Version", "2025-11-25"),
				200));
		rows.add(Row.of("a revision the stateless transport does not serve",
				post(key, TOOLS_LIST).header("MCP-Protocol-Version", "2024-11-05"), 400));
		for (String method : List.of("no/such/method", "", "TOOLS/CALL")) {
			rows.add(Row.of("unknown method '" + method + "'",
					post(key, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"" + method + "\",\"params\":{}}"), 200,
					method.isEmpty() ? new String[0] : new String[] { method }));
		}
		rows.add(Row.of("Accept: text/html", withAccept(post(key, TOOLS_LIST), "text/html"), 406));
		rows.add(Row.of("no Accept", withAccept(post(key, TOOLS_LIST), null), 406));
		rows.add(Row.of("GET, not served statelessly",
				Request.of("GET", "/mcp").header("X-API-Key", key).header("Accept", "text/event-stream"), 405));
		rows.add(Row.of("DELETE, not served statelessly",
				Request.of("DELETE", "/mcp").header("X-API-Key", key).header("Mcp-Session-Id", "s-1"), 405, "s-1"));
		rows.add(Row.of("GET /sse, not served on this protocol",
				Request.of("GET", "/sse").header("X-API-Key", key).header("Accept", "text/event-stream"), 404));
		return rows;
	}

	@Test
	void onlyPostIsNamedInAllow() throws Exception {
		Answer answer = send(Request.of("GET", "/mcp").header("X-API-Key", key()).header("Accept", "text/event-stream"));
		assertThat(answer.status()).isEqualTo(405);
		assertThat(answer.header("Allow")).isEqualTo("POST");
	}

}
