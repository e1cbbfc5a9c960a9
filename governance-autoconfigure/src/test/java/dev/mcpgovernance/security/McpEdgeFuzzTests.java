package dev.mcpgovernance.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import dev.mcpgovernance.identity.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.RawHttp.Answer;
import dev.mcpgovernance.security.RawHttp.Request;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A bounded, seeded fuzz of the MCP endpoint: a few thousand requests, each a well-formed one with
 * some of its parts swapped for hostile ones (method, path, media types, session, protocol version,
 * Mcp-Method/Mcp-Name, Host, Origin, credentials, body), sent through a raw socket. It fails on any
 * 5xx, any answer not finished within a second, any internal marker in a body, or a server that
 * cannot serve a normal tool call afterwards. The seed is fixed, so a failure repeats; it is printed
 * with the failing request, and {@code -Dmcp.edge.fuzz.seed=…} runs another one.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:edge-streamable;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class McpEdgeFuzzTests {

	private static final long SEED = Long.getLong("mcp.edge.fuzz.seed", 20_260_728L);

	private static final int REQUESTS = Integer.getInteger("mcp.edge.fuzz.requests", 2_500);

	private static final Duration FINISHED_WITHIN = Duration.ofSeconds(1);

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Test
	void hostileRequestsNeverGetA5xxAnUnfinishedAnswerOrAnythingInternal() throws Exception {
		String key = this.apiKeys.create("fuzz", null, ScopeSet.parse(List.of("orders:*:*", "inventory:*:*")), null, null)
			.secret();
		String session = session(key);
		Random random = new Random(SEED);
		Map<Integer, Integer> statuses = new java.util.TreeMap<>();
		long started = System.nanoTime();
		for (int i = 0; i < REQUESTS; i++) {
			Request request = request(random, key, session);
			Answer answer;
			try {
				answer = RawHttp.send(this.port, request, FINISHED_WITHIN);
			}
			catch (Exception ex) {
				throw new AssertionError(failure(i, request, "no answer: " + ex), ex);
			}
			statuses.merge(answer.status(), 1, Integer::sum);
			if (!answer.finished()) {
				fail(failure(i, request, "not finished within " + FINISHED_WITHIN + ": " + answer));
			}
			if (answer.status() < 100 || answer.status() >= 500) {
				fail(failure(i, request, "status " + answer.status() + ": " + answer));
			}
			for (String marker : McpEdgeContract.MARKERS) {
				if (answer.body().contains(marker)) {
					fail(failure(i, request, "holds '" + marker + "': " + answer));
				}
			}
		}
		System.out.printf("McpEdgeFuzzTests: %d requests, seed %d, %d ms, statuses %s%n", REQUESTS, SEED,
				(System.nanoTime() - started) / 1_000_000, statuses);
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
			assertThat(McpTestClient.call(client, "get_order", Map.of("orderId", "o-1")).isError())
				.as("a normal tool call after the fuzz (seed %d)", SEED)
				.isFalse();
		}
	}

	private static String failure(int index, Request request, String what) {
		return "Fuzz request " + index + " (seed " + SEED + ", -Dmcp.edge.fuzz.seed=" + SEED + "): " + what
				+ "\n  request: " + request;
	}

	private String session(String key) throws Exception {
		Answer answer = RawHttp.send(this.port, Request.of("POST", "/mcp")
			.header("X-API-Key", key)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.body(McpTestClient.initializeBody()), Duration.ofSeconds(10));
		assertThat(answer.status()).isEqualTo(200);
		return answer.header("Mcp-Session-Id");
	}

	/** A request with each part either the well-formed one (mostly) or one of its hostile variants. */
	private static Request request(Random random, String key, String session) {
		String method = pick(random, 0.7, "POST", "GET", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "FOO", "get",
				"TRACE");
		String path = pick(random, 0.8, "/mcp", "/mcp/", "/mcp/x", "/sse", "/mcp/message?sessionId=x", "/mcp;a=b",
				"/mcp%2F..%2Fsse", "//mcp", "/MCP", "/mcp?x=%00%ff", "/mcp/../mcp");
		Request request = Request.of(method, path);
		request = optional(random, request, "Host", 0.9, null, "evil.example.com", "127.0.0.1.evil.example",
				"localhost:1", "[::1]", "", "exa mple");
		request = optional(random, request, "X-API-Key", 0.85, key, null, "sk_" + "A".repeat(43), "garbage");
		if (random.nextDouble() < 0.03) {
			request = request.header("Authorization", "Bearer " + key);
		}
		request = optional(random, request, "Content-Type", 0.75, "application/json", null, "*/*", "text/plain",
				"multipart/form-data; boundary=x", "application/json; charset=UTF-16", "application/;;==",
				"application/json;charset=utf-8", "application/x-www-form-urlencoded", "APPLICATION/JSON");
		request = optional(random, request, "Accept", 0.75, "application/json, text/event-stream", null, "text/html",
				"*/*", "application/json", "text/event-stream", "text/;;==",
				"application/json, text/event-stream, " + "x/y;q=0.1, ".repeat(200 + random.nextInt(300)));
		// A GET with a live session and an event-stream Accept opens the listening stream, open by design.
		String sessionId = "GET".equals(method) ? pick(random, 0.34, "garbage", "s".repeat(3000), "../x")
				: pick(random, 0.7, session, null, "garbage", "s".repeat(3000), "../x", "00000000-0000-0000-0000-000000000000");
		request = optional(random, request, "Mcp-Session-Id", 1, sessionId);
		request = optional(random, request, "MCP-Protocol-Version", 0.7, null, "2025-11-25", "garbage", "1999-01-01",
				"2026-07-28", "2024-11-05", "");
		request = optional(random, request, "Mcp-Method", 0.8, null, "tools/call", "tools/list", "", "x");
		request = optional(random, request, "Mcp-Name", 0.85, null, "get_order", "cancel_order", "");
		request = optional(random, request, "Origin", 0.9, null, "http://evil.example.com", "http://localhost:1", "null");
		if (random.nextDouble() < 0.02) {
			request = request.header("X-Pad", "p".repeat(9_000 + random.nextInt(20_000)));
		}
		if (random.nextDouble() < 0.05) {
			request = request.header("X-Junk-" + random.nextInt(100), junkText(random, 1 + random.nextInt(200)));
		}
		return "GET".equals(method) || "HEAD".equals(method) ? request : request.body(body(random));
	}

	private static byte[] body(Random random) {
		List<Function<Random, byte[]>> kinds = new ArrayList<>();
		kinds.add((r) -> utf8(message(r)));
		kinds.add((r) -> utf8(message(r)));
		kinds.add((r) -> utf8(message(r)));
		kinds.add((r) -> utf8("[" + message(r) + "," + message(r) + "]"));
		kinds.add((r) -> message(r).getBytes(StandardCharsets.UTF_16));
		kinds.add((r) -> {
			String text = message(r);
			return utf8(text.substring(0, r.nextInt(text.length())));
		});
		kinds.add((r) -> {
			byte[] bytes = new byte[r.nextInt(300)];
			r.nextBytes(bytes);
			return bytes;
		});
		kinds.add((r) -> utf8("a=1&b=" + junkText(r, 20)));
		kinds.add((r) -> utf8("[".repeat(2_000 + r.nextInt(3_000))));
		kinds.add((r) -> utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
				+ "x".repeat(260_000) + "\"}}"));
		return kinds.get(random.nextInt(kinds.size())).apply(random);
	}

	private static String message(Random random) {
		String id = pick(random, 0.6, "1", "null", "12345678901234567890", "1.5", "\"s-1\"", "-7", "{}", "[]", "true");
		String method = pick(random, 0.3, "tools/call", "tools/list", "ping", "initialize", "completion/complete",
				"resources/read", "resources/list", "resources/templates/list", "prompts/get", "prompts/list",
				"logging/setLevel", "notifications/initialized", "no/such/method", "", "TOOLS/CALL", "server/discover",
				"resources/subscribe");
		String params = switch (method) {
			case "tools/call" -> pick(random, 0.5, "{\"name\":\"get_order\",\"arguments\":{\"orderId\":\"o-1\"}}",
					"{\"name\":\"cancel_order\",\"arguments\":{\"orderId\":\"o-2\"}}", "{\"name\":\"no_tool\"}",
					"{\"name\":\"get_order\",\"arguments\":[1]}", "{\"name\":5}", "{}",
					"{\"name\":\"leaky_failure\",\"arguments\":{}}", "{\"name\":\"get_order\",\"arguments\":{\"orderId\":7}}");
			case "initialize" -> pick(random, 0.5, "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
					+ "\"clientInfo\":{\"name\":\"f\",\"version\":\"1\"}}", "{}", "{\"protocolVersion\":1}");
			case "completion/complete" -> pick(random, 0.3,
					"{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"}}",
					"{\"uri\":\"file:///x\"}", "{\"ref\":{\"type\":\"ref/resource\"}}", "{\"ref\":{}}",
					"{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"x://y\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"}}");
			case "resources/read", "resources/subscribe" -> pick(random, 0.5, "{\"uri\":\"file:///etc/passwd\"}", "{}",
					"{\"uri\":7}");
			case "prompts/get" -> pick(random, 0.5, "{\"name\":\"p\"}", "{}", "{\"name\":\"p\",\"arguments\":[]}");
			case "logging/setLevel" -> pick(random, 0.5, "{\"level\":\"debug\"}", "{}", "{\"level\":\"loud\"}");
			default -> pick(random, 0.6, "{}", "[]", "\"x\"", "null", "{\"_meta\":{\"progressToken\":{}}}");
		};
		String jsonrpc = pick(random, 0.9, "\"2.0\"", "\"1.0\"", "2");
		if (random.nextDouble() < 0.05) {
			return "{\"jsonrpc\":" + jsonrpc + ",\"id\":" + id + ",\"result\":{}}";
		}
		String idPart = (random.nextDouble() < 0.1) ? "" : "\"id\":" + id + ",";
		return "{\"jsonrpc\":" + jsonrpc + "," + idPart + "\"method\":\"" + method + "\",\"params\":" + params + "}";
	}

	/** {@code first} with probability {@code keep}, else one of the others; a {@code null} pick leaves the part out. */
	private static String pick(Random random, double keep, String first, String... others) {
		if (others.length == 0 || random.nextDouble() < keep) {
			return first;
		}
		return others[random.nextInt(others.length)];
	}

	private static Request optional(Random random, Request request, String header, double keep, String first,
			String... others) {
		String value = pick(random, keep, first, others);
		return (value != null) ? request.header(header, value) : request;
	}

	private static String junkText(Random random, int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append((char) (0x20 + random.nextInt(0x5f)));
		}
		return text.toString();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
