package dev.mcpgovernance.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.security.RawHttp.Answer;
import dev.mcpgovernance.security.RawHttp.Request;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge on the STREAMABLE protocol: {@code /mcp} serves GET, POST and DELETE, with sessions. */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:edge-streamable;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class McpEdgeStreamableIntegrationTests extends McpEdgeContract {

	private String session;

	@Override
	String messagePath() {
		return "/mcp";
	}

	@Override
	Request post(String key, String body) {
		return basePost("/mcp", key, body).header("Mcp-Session-Id", session(key));
	}

	/** One session per test instance, opened with a raw initialize as any client would. */
	String session(String key) {
		if (this.session == null) {
			try {
				// The first request of a fresh server may warm up for longer than an answer is given.
				Answer answer = RawHttp.send(this.port, basePost("/mcp", key, """
						{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
						"capabilities":{},"clientInfo":{"name":"edge","version":"1"}}}"""), Duration.ofSeconds(10));
				assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
				this.session = answer.header("Mcp-Session-Id");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		return this.session;
	}

	@Override
	List<Row> protocolRows(String key) {
		String session = session(key);
		List<Row> rows = new ArrayList<>();
		rows.add(Row.of("a well-formed request", post(key, TOOLS_LIST), 200));
		rows.add(Row.of("a supported MCP-Protocol-Version", post(key, TOOLS_LIST).header("MCP-Protocol-Version", "2025-11-25"),
				200));
		rows.add(Row.of("Mcp-Method and Mcp-Name agreeing with the body", post(key, """
				{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_order","arguments":{"orderId":"o-1"}}}""")
			.header("Mcp-Method", "tools/call")
			.header("Mcp-Name", "get_order"), 200));
		for (String method : List.of("no/such/method", "", "TOOLS/CALL")) {
			rows.add(Row.of("unknown method '" + method + "'",
					post(key, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"" + method + "\",\"params\":{}}"), 200,
					method.isEmpty() ? List.<String>of().toArray(String[]::new) : new String[] { method }));
		}
		rows.add(Row.of("an unknown session", withSession(post(key, TOOLS_LIST), "garbage-session-42"), 404,
				"garbage-session-42"));
		rows.add(Row.of("an over-long session id", withSession(post(key, TOOLS_LIST), "s".repeat(4000)), 404, "sssss"));
		rows.add(Row.of("a session id of odd characters", withSession(post(key, TOOLS_LIST), "../x;<b>'\""), 404, "<b>"));
		rows.add(Row.of("no session", withSession(post(key, TOOLS_LIST), null), 400));
		rows.add(Row.of("a second initialize on a session", post(key, """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
				"capabilities":{},"clientInfo":{"name":"edge","version":"1"}}}"""), 400));
		rows.add(Row.of("Accept: text/html", withAccept(post(key, TOOLS_LIST), "text/html"), 406));
		rows.add(Row.of("Accept: application/json only", withAccept(post(key, TOOLS_LIST), "application/json"), 406));
		rows.add(Row.of("no Accept", withAccept(post(key, TOOLS_LIST), null), 406));
		rows.add(Row.of("Accept: */*", withAccept(post(key, TOOLS_LIST), "*/*"), 406));
		rows.add(Row.of("GET with Accept: text/html", withAccept(get(key, session), "text/html"), 406));
		rows.add(Row.of("GET without a session", Request.of("GET", "/mcp").header("X-API-Key", key)
			.header("Accept", "text/event-stream"), 400));
		rows.add(Row.of("GET of an unknown session", get(key, "unknown-session-7"), 404, "unknown-session-7"));
		rows.add(Row.of("GET with MCP-Protocol-Version garbage", get(key, session).header("MCP-Protocol-Version", "bad"),
				400));
		rows.add(Row.of("DELETE of an unknown session",
				Request.of("DELETE", "/mcp").header("X-API-Key", key).header("Mcp-Session-Id", "unknown-session-8"), 404,
				"unknown-session-8"));
		rows.add(Row.of("DELETE naming Content-Type */*", Request.of("DELETE", "/mcp").header("X-API-Key", key)
			.header("Mcp-Session-Id", "unknown-session-9")
			.header("Content-Type", "*/*"), 415));
		rows.add(Row.of("GET naming Content-Type */*", withContentType(get(key, session), "*/*"), 415));
		rows.add(Row.of("DELETE without a session", Request.of("DELETE", "/mcp").header("X-API-Key", key), 400));
		rows.add(Row.of("GET /sse, not served on this protocol",
				Request.of("GET", "/sse").header("X-API-Key", key).header("Accept", "text/event-stream"), 404));
		rows.add(Row.of("POST /mcp/message, not served on this protocol",
				basePost("/mcp/message?sessionId=x", key, TOOLS_LIST), 404));
		return rows;
	}

	private static Request get(String key, String session) {
		return Request.of("GET", "/mcp")
			.header("X-API-Key", key)
			.header("Accept", "text/event-stream")
			.header("Mcp-Session-Id", session);
	}

	private static Request withSession(Request request, String session) {
		return replace(request, "Mcp-Session-Id", session);
	}

	@Test
	void anUnknownSessionGetsExactlyTheSessionNotFoundError() throws Exception {
		String key = key();
		Answer answer = send(withSession(post(key, TOOLS_LIST), "no-such-session"));
		assertThat(answer.status()).isEqualTo(404);
		JsonNode body = JSON.readTree(answer.body());
		assertThat(body).isEqualTo(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}"));
	}

	@Test
	void anUnknownMethodGetsMethodNotFoundAndTheStreamEnds() throws Exception {
		String key = key();
		Answer answer = send(post(key, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"no/such/method\",\"params\":{}}"));
		assertThat(answer.finished()).isTrue();
		String data = answer.body().lines().filter((line) -> line.startsWith("data:")).findFirst().orElseThrow();
		JsonNode error = JSON.readTree(data.substring("data:".length()));
		assertThat(error.get("id").asInt()).isEqualTo(9);
		assertThat(error.at("/error/code").asInt()).isEqualTo(-32601);
		assertThat(error.at("/error/message").asString()).isEqualTo("Method not found");
	}

	@Test
	void methodsNotServedAreNamedInAllow() throws Exception {
		Answer answer = send(Request.of("PUT", "/mcp").header("X-API-Key", key()));
		assertThat(answer.status()).isEqualTo(405);
		assertThat(answer.header("Allow")).isEqualTo("DELETE, GET, POST");
	}

}
