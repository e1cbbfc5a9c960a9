package dev.mcpgovernance.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
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
 * with the failing request; {@code -Dmcp.edge.fuzz.seed=…} runs another one,
 * {@code -Dmcp.edge.fuzz.requests=…} another number of requests, and {@code -Dmcp.edge.fuzz.verbose=true}
 * prints every exchange.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:edge-streamable;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class McpEdgeFuzzTests {

	private static final long SEED = Long.getLong("mcp.edge.fuzz.seed", 20_260_728L);

	private static final int REQUESTS = Integer.getInteger("mcp.edge.fuzz.requests", 2_500);

	private static final Duration FINISHED_WITHIN = Duration.ofSeconds(1);

	private static final int VALID_KINDS = 12;

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Test
	void hostileRequestsNeverGetA5xxAnUnfinishedAnswerOrAnythingInternal() throws Exception {
		// A budget no fuzz run reaches, so the requests get past the per-caller limit to the checks behind it.
		String key = this.apiKeys.create("fuzz", null, ScopeSet.parse(List.of("orders:*:*", "inventory:*:*")),
				1_000_000, null)
			.secret();
		String session = session(key);
		Random random = new Random(SEED);
		// Each kind of valid request once, untimed: a fresh server's first tool call may take longer to warm up.
		for (int kind = 0; kind < VALID_KINDS; kind++) {
			RawHttp.send(this.port, Request.of("POST", "/mcp")
				.header("X-API-Key", key)
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.header("Mcp-Session-Id", session)
				.body(validMessage(new Random(kind), kind, kind)), Duration.ofSeconds(10));
		}
		Map<Integer, Integer> statuses = new TreeMap<>();
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
			if (Boolean.getBoolean("mcp.edge.fuzz.verbose")) {
				System.out.println("FUZZ " + answer.status() + " " + request + " -> " + answer.body().replace('\n', ' '));
			}
			if (!answer.finished()) {
				fail(failure(i, request, "not finished within " + FINISHED_WITHIN + ": " + answer));
			}
			// "/MCP" is not an MCP endpoint (paths match case-sensitively) but one of the host application's
			// paths, which the starter leaves as they were (OtherPathsIntegrationTests): Tomcat's own 500 for a
			// wildcard Content-Type there is the host's answer, with or without the starter.
			boolean hostPath = request.target().startsWith("/MCP");
			if (answer.status() < 100 || (answer.status() >= 500 && !hostPath)) {
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
		String healthy = this.apiKeys.create("after-fuzz", null, ScopeSet.parse(List.of("orders:*:*")), null, null)
			.secret();
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", healthy)) {
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

	/** The parts of a request the fuzz swaps for hostile variants, none to three at a time. */
	private enum Part {

		METHOD, PATH, HOST, CREDENTIALS, CONTENT_TYPE, ACCEPT, SESSION, PROTOCOL_VERSION, HEADER_AGREEMENT, ORIGIN,
		EXTRA_HEADER, BODY

	}

	/**
	 * A well-formed request (one of several valid messages, some of which reach the SDK with odd but
	 * valid content) with none to three of its parts swapped for a hostile variant: a quarter of the
	 * requests reach the MCP server whole, the rest stop at the check their hostile part meets.
	 */
	private static Request request(Random random, String key, String session) {
		EnumSet<Part> hostile = EnumSet.noneOf(Part.class);
		int count = random.nextInt(4);
		while (hostile.size() < count) {
			hostile.add(Part.values()[random.nextInt(Part.values().length)]);
		}
		String method = hostile.contains(Part.METHOD) ? pick(random, 0, "POST", "GET", "DELETE", "PUT", "PATCH",
				"OPTIONS", "HEAD", "FOO", "get", "TRACE") : "POST";
		String path = hostile.contains(Part.PATH) ? pick(random, 0, "/mcp", "/mcp/", "/mcp/x", "/sse",
				"/mcp/message?sessionId=x", "/mcp;a=b", "/mcp%2F..%2Fsse", "//mcp", "/MCP", "/mcp?x=%00%ff", "/mcp/../mcp",
				"/mcp/%2e%2e/sse") : "/mcp";
		Request request = Request.of(method, path);
		if (hostile.contains(Part.HOST)) {
			request = request.header("Host", pick(random, 0, null, "evil.example.com", "127.0.0.1.evil.example",
					"localhost.evil", "", "exa mple", "[::2]", "127.0.0.1:1:2"));
		}
		request = hostile.contains(Part.CREDENTIALS)
				? optional(random, request, "X-API-Key", 0, null, null, "sk_" + "A".repeat(43), "garbage", key + "x")
				: request.header("X-API-Key", key);
		if (hostile.contains(Part.CREDENTIALS) && random.nextBoolean()) {
			request = request.header("Authorization", "Bearer " + pick(random, 0, null, key, "eyJhbGciOiJub25lIn0.e30.",
					"x"));
		}
		request = optional(random, request, "Content-Type", hostile.contains(Part.CONTENT_TYPE) ? 0 : 1,
				"application/json", null, "*/*", "text/plain", "multipart/form-data; boundary=x",
				"application/json; charset=UTF-16", "application/;;==", "application/*", "application/x-www-form-urlencoded",
				"application/json; charset=nope", "APPLICATION/JSON; charset=utf-8");
		request = optional(random, request, "Accept", hostile.contains(Part.ACCEPT) ? 0 : 1,
				"application/json, text/event-stream", null, "text/html", "*/*", "application/json", "text/event-stream",
				"text/;;==", "application/json, text/event-stream, " + "x/y;q=0.1, ".repeat(100 + random.nextInt(400)));
		// A GET with the live session opens the listening stream, open by design; a DELETE would end the session.
		// (Tomcat trims a header value, so the session with a space around it is the live session.)
		boolean keepsSessionAlone = "GET".equals(method) || "DELETE".equals(method);
		String sessionId = hostile.contains(Part.SESSION) || keepsSessionAlone
				? pick(random, 0, null, null, "garbage", "s".repeat(3000), "../x", "00000000-0000-0000-0000-000000000000",
						session.toUpperCase(), keepsSessionAlone ? null : " " + session + " ")
				: session;
		if (sessionId != null) {
			request = request.header("Mcp-Session-Id", sessionId);
		}
		request = hostile.contains(Part.PROTOCOL_VERSION)
				? optional(random, request, "MCP-Protocol-Version", 0, null, "garbage", "1999-01-01", "2026-07-28", "",
						"2025-11-25, 2025-06-18")
				: optional(random, request, "MCP-Protocol-Version", 0.5, null, "2025-11-25");
		String message = hostile.contains(Part.BODY) ? null : validMessage(random);
		if (hostile.contains(Part.HEADER_AGREEMENT)) {
			request = request.header(pick(random, 0.5, "Mcp-Method", "Mcp-Name"), pick(random, 0, null, "tools/call",
					"tools/list", "", "get_order", "cancel_order", "x"));
		}
		else if (message != null && random.nextBoolean()) {
			request = request.header("Mcp-Method", methodOf(message));
		}
		if (hostile.contains(Part.ORIGIN)) {
			request = request.header("Origin", pick(random, 0, null, "http://evil.example.com", "null", "file://",
					"http://localhost.evil:1"));
		}
		if (hostile.contains(Part.EXTRA_HEADER)) {
			request = random.nextInt(4) == 0 ? request.header("X-Pad", "p".repeat(9_000 + random.nextInt(20_000)))
					: request.header("X-Junk-" + random.nextInt(100), junkText(random, 1 + random.nextInt(2000)));
		}
		if ("GET".equals(method) || "HEAD".equals(method)) {
			return request;
		}
		return request.body((message != null) ? utf8(message) : body(random));
	}

	/** Valid messages: served methods, unknown ones, and calls the tools or the SDK refuse. */
	private static String validMessage(Random random) {
		return validMessage(random, random.nextInt(VALID_KINDS), random.nextInt(1_000_000));
	}

	private static String validMessage(Random random, int kind, int id) {
		String call = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"%s\",\"params\":%s}";
		return switch (kind) {
			case 0 -> call.formatted("tools/list", "{}");
			case 1 -> call.formatted("tools/call", "{\"name\":\"get_order\",\"arguments\":{\"orderId\":\"o-1\"}}");
			case 2 -> call.formatted("tools/call", "{\"name\":\"leaky_failure\",\"arguments\":{}}");
			case 3 -> call.formatted("tools/call", "{\"name\":\"no_such_tool\",\"arguments\":{}}");
			case 4 -> call.formatted("tools/call", "{\"name\":\"get_order\",\"arguments\":{\"orderId\":7}}");
			case 5 -> call.formatted("ping", "{}");
			case 6 -> call.formatted(pick(random, 0, null, "no/such/method", "", "TOOLS/CALL", "server/discover"), "{}");
			case 7 -> call.formatted("completion/complete",
					"{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"}}");
			case 8 -> call.formatted("resources/read", "{\"uri\":\"file:///etc/passwd\"}");
			case 9 -> call.formatted("prompts/get", "{\"name\":\"none\"}");
			case 10 -> call.formatted("logging/setLevel", "{\"level\":\"debug\"}");
			default -> "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
		};
	}

	private static String methodOf(String message) {
		int start = message.indexOf("\"method\":\"") + 10;
		return message.substring(start, message.indexOf('"', start));
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
		String id = pick(random, 0.3, "1", "null", "12345678901234567890", "1.5", "\"s-1\"", "-7", "{}", "[]", "true");
		String method = pick(random, 0.1, "tools/call", "tools/list", "ping", "initialize", "completion/complete",
				"resources/read", "resources/list", "resources/templates/list", "prompts/get", "prompts/list",
				"logging/setLevel", "notifications/initialized", "no/such/method", "", "TOOLS/CALL", "server/discover",
				"resources/subscribe", "sampling/createMessage", "roots/list", "notifications/cancelled");
		String params = switch (method) {
			case "tools/call" -> pick(random, 0.2, "{\"name\":\"get_order\",\"arguments\":{\"orderId\":\"o-1\"}}",
					"{\"name\":\"cancel_order\",\"arguments\":{\"orderId\":\"o-2\"}}", "{\"name\":\"no_tool\"}",
					"{\"name\":\"get_order\",\"arguments\":[1]}", "{\"name\":5}", "{}",
					"{\"name\":\"leaky_failure\",\"arguments\":{}}", "{\"name\":\"get_order\",\"arguments\":null}",
					"{\"name\":\"get_order\",\"arguments\":{\"orderId\":{\"deep\":[[[]]]}}}",
					"{\"name\":\"get_order\",\"_meta\":{\"progressToken\":[]}}");
			case "initialize" -> pick(random, 0.3, "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
					+ "\"clientInfo\":{\"name\":\"f\",\"version\":\"1\"}}", "{}", "{\"protocolVersion\":1}",
					"{\"protocolVersion\":\"1999-01-01\",\"capabilities\":{},\"clientInfo\":{\"name\":\"f\"}}");
			case "completion/complete" -> pick(random, 0.2,
					"{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"}}",
					"{\"uri\":\"file:///x\"}", "{\"ref\":{\"type\":\"ref/resource\"}}", "{\"ref\":{}}",
					"{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"x://y\"},\"argument\":{\"name\":\"a\",\"value\":\"b\"}}",
					"{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":1,\"value\":[]}}");
			case "resources/read", "resources/subscribe" -> pick(random, 0.3, "{\"uri\":\"file:///etc/passwd\"}", "{}",
					"{\"uri\":7}", "{\"uri\":\"\"}");
			case "prompts/get" -> pick(random, 0.3, "{\"name\":\"p\"}", "{}", "{\"name\":\"p\",\"arguments\":[]}");
			case "logging/setLevel" -> pick(random, 0.3, "{\"level\":\"debug\"}", "{}", "{\"level\":\"loud\"}",
					"{\"level\":7}");
			default -> pick(random, 0.4, "{}", "[]", "\"x\"", "null", "{\"_meta\":{\"progressToken\":{}}}",
					"{\"cursor\":\"garbage\"}", "{\"cursor\":5}");
		};
		String jsonrpc = pick(random, 0.8, "\"2.0\"", "\"1.0\"", "2", "null");
		if (random.nextDouble() < 0.08) {
			return "{\"jsonrpc\":" + jsonrpc + ",\"id\":" + id + pick(random, 0.5, ",\"result\":{}}",
					",\"error\":{\"code\":1,\"message\":\"m\"}}", ",\"error\":\"x\"}", "}");
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
