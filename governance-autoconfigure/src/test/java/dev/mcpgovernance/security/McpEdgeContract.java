package dev.mcpgovernance.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.RawHttp.Answer;
import dev.mcpgovernance.security.RawHttp.Request;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every MCP endpoint answers to hostile requests, on one protocol: each request of the table
 * goes through real HTTP (a raw socket, so that nothing is refused on the client side) and its answer
 * must have the status the MCP transport specification names, end within a second, and hold nothing
 * internal: no Java class or package name, no stack frame, no exception text, no piece of the request.
 * Subclasses run the table against a server on their protocol and add the rows only it has.
 */
abstract class McpEdgeContract {

	/** What an answer must never hold: signs of a Java exception or of the framework behind the server. */
	static final List<String> MARKERS = List.of("java.", "org.springframework", "io.modelcontextprotocol",
			"Exception", "stackTrace", "\tat ", "Tomcat");

	static final Duration FINISHED_WITHIN = Duration.ofSeconds(1);

	static final ObjectMapper JSON = new ObjectMapper();

	static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{}}";

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	/** A row: what is sent, the status it must get, and values of the request the answer must not echo. */
	record Row(String name, Request request, int status, List<String> echoes, boolean byContainer) {

		static Row of(String name, Request request, int status, String... echoes) {
			return new Row(name, request, status, List.of(echoes), false);
		}

		/**
		 * A request the servlet container refuses before any filter runs (a header too large, TRACE):
		 * its status is the container's (or, after an error dispatch, the application's error page's),
		 * so any 4xx; still finished and holding nothing internal.
		 */
		static Row byContainer(String name, Request request, int status) {
			return new Row(name, request, status, List.of(), true);
		}

	}

	/** The path clients post JSON-RPC messages to on this protocol. */
	abstract String messagePath();

	/** The rows only this protocol has; {@code post} builds a well-formed, authenticated POST. */
	abstract List<Row> protocolRows(String key);

	/** A POST of {@code body} that passes every transport check, with this protocol's session if it has one. */
	abstract Request post(String key, String body);

	String key() {
		return this.apiKeys.create("edge-" + getClass().getSimpleName(), null,
				ScopeSet.parse(List.of("orders:*:*", "inventory:*:*")), null, null).secret();
	}

	@TestFactory
	Stream<DynamicTest> everyAnswerHasItsStatusEndsAndHoldsNothingInternal() {
		String key = key();
		List<Row> rows = new ArrayList<>(commonRows(key));
		rows.addAll(protocolRows(key));
		return rows.stream().map((row) -> DynamicTest.dynamicTest(row.name(), () -> assertClean(row, send(row.request()))));
	}

	Answer send(Request request) throws Exception {
		return RawHttp.send(this.port, request, FINISHED_WITHIN);
	}

	/** The answer ended, has the row's status, and holds neither a marker nor an echo of the request. */
	static void assertClean(Row row, Answer answer) {
		String described = row.request() + " -> " + answer;
		assertThat(answer.finished()).as("finished within %s: %s", FINISHED_WITHIN, described).isTrue();
		if (row.byContainer()) {
			assertThat(answer.status()).as(described).isBetween(400, 499);
		}
		else {
			assertThat(answer.status()).as(described).isEqualTo(row.status());
		}
		assertNoMarker(answer, described);
		for (String echo : row.echoes()) {
			assertThat(answer.body()).as("echoes %s: %s", echo, described).doesNotContain(echo);
		}
		if (answer.status() == 405) {
			assertThat(answer.header("Allow")).as(described).isNotBlank();
		}
		boolean bodyless = "HEAD".equals(row.request().method()) || row.byContainer();
		if (answer.status() >= 400 && answer.status() != 401 && answer.status() != 403 && !bodyless) {
			JsonNode body = JSON.readTree(answer.body());
			assertThat(body.get("jsonrpc").asString()).as(described).isEqualTo("2.0");
			assertThat(body.at("/error/code").isInt()).as(described).isTrue();
			assertThat(body.at("/error/message").isString()).as(described).isTrue();
		}
	}

	static void assertNoMarker(Answer answer, String described) {
		for (String marker : MARKERS) {
			assertThat(answer.body()).as("holds %s: %s", marker, described).doesNotContain(marker);
		}
	}

	/** The rows every protocol shares: bodies, media types, headers, methods and paths. */
	List<Row> commonRows(String key) {
		String path = messagePath();
		List<Row> rows = new ArrayList<>();
		rows.add(Row.of("a request id of null", post(key, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/list\"}"),
				400));
		rows.add(Row.of("a 20-digit request id",
				post(key, "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"method\":\"tools/list\"}"), 400,
				"12345678901234567890"));
		rows.add(Row.of("a fractional request id", post(key, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}"), 400));
		rows.add(Row.of("a JSON-RPC batch", post(key, "[" + TOOLS_LIST + "," + TOOLS_LIST + "]"), 400));
		rows.add(Row.of("an empty batch", post(key, "[]"), 400));
		rows.add(Row.of("malformed JSON", post(key, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi"), 400, "\"pi"));
		rows.add(Row.of("an empty body", post(key, ""), 400));
		rows.add(Row.of("a UTF-16 body", post(key, "").body(TOOLS_LIST.getBytes(StandardCharsets.UTF_16)), 400));
		rows.add(Row.of("invalid UTF-8", post(key, "").body(new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', '}' }),
				400));
		rows.add(Row.of("completion/complete with only a uri", post(key,
				"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"completion/complete\",\"params\":{\"uri\":\"file:///etc/x\"}}"),
				400, "/etc/x"));
		rows.add(Row.of("completion/complete without an argument", post(key,
				"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"completion/complete\",\"params\":{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"}}}"),
				400));
		rows.add(Row.of("resources/read without a uri",
				post(key, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/read\",\"params\":{}}"), 400));
		rows.add(Row.of("prompts/get without a name",
				post(key, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/get\",\"params\":{}}"), 400));
		rows.add(Row.of("a form body", withContentType(post(key, "a=1&b=2"), "application/x-www-form-urlencoded"), 415));
		rows.add(Row.of("Content-Type */*", withContentType(post(key, TOOLS_LIST), "*/*"), 415));
		rows.add(Row.of("Content-Type multipart/form-data",
				withContentType(post(key, TOOLS_LIST), "multipart/form-data; boundary=xyz"), 415));
		rows.add(Row.of("Content-Type text/plain", withContentType(post(key, TOOLS_LIST), "text/plain"), 415));
		rows.add(Row.of("JSON in UTF-16", withContentType(post(key, TOOLS_LIST), "application/json; charset=UTF-16"), 415));
		rows.add(Row.of("an unparseable Content-Type", withContentType(post(key, TOOLS_LIST), "application/;;=="), 415));
		rows.add(Row.of("no Content-Type", withContentType(post(key, TOOLS_LIST), null), 415));
		rows.add(Row.of("MCP-Protocol-Version garbage", post(key, TOOLS_LIST).header("MCP-Protocol-Version", "garbage"),
				400, "garbage"));
		rows.add(Row.of("MCP-Protocol-Version 1999-01-01",
				post(key, TOOLS_LIST).header("MCP-Protocol-Version", "1999-01-01"), 400, "1999-01-01"));
		rows.add(Row.of("Mcp-Method naming another method", post(key, TOOLS_LIST).header("Mcp-Method", "tools/call"),
				400));
		rows.add(Row.of("Host of another site", post(key, TOOLS_LIST).header("Host", "evil.example.com"), 403,
				"evil.example.com"));
		rows.add(Row.of("Host of another site with a port", post(key, TOOLS_LIST).header("Host", "evil.example.com:80"),
				403, "evil.example.com"));
		rows.add(Row.of("Host rebinding a local name", post(key, TOOLS_LIST).header("Host", "127.0.0.1.evil.example"),
				403, "evil.example"));
		rows.add(Row.of("Origin of another site", post(key, TOOLS_LIST).header("Origin", "http://evil.example.com"), 403,
				"evil.example.com"));
		rows.add(Row.byContainer("TRACE on " + path, Request.of("TRACE", path).header("X-API-Key", key), 405));
		for (String method : List.of("PUT", "PATCH", "OPTIONS", "HEAD", "PROPFIND")) {
			rows.add(Row.of(method + " on " + path,
					Request.of(method, path).header("X-API-Key", key).header("Accept", "application/json, text/event-stream"),
					405));
		}
		rows.add(Row.of("a path below the endpoint", Request.of("GET", path + "/deeper").header("X-API-Key", key), 404,
				"deeper"));
		rows.add(Row.byContainer("a header too large for the server", post(key, TOOLS_LIST).header("X-Pad", "p".repeat(20_000)),
				400));
		rows.add(Row.of("a 5,000-character Accept",
				withAccept(post(key, TOOLS_LIST), "application/json, text/event-stream, " + "x/y;q=0.1, ".repeat(450)), 406));
		rows.add(Row.of("an unparseable Accept", withAccept(post(key, TOOLS_LIST), "text/;;==, application/json"), 406));
		rows.add(Row.of("an unauthenticated request", Request.of("POST", path).header("Content-Type", "text/plain")
			.body("not even json"), 401));
		return rows;
	}

	static Request withContentType(Request request, String contentType) {
		return replace(request, "Content-Type", contentType);
	}

	static Request withAccept(Request request, String accept) {
		return replace(request, "Accept", accept);
	}

	static Request replace(Request request, String name, String value) {
		List<String[]> headers = new ArrayList<>(
				request.headers().stream().filter((header) -> !header[0].equalsIgnoreCase(name)).toList());
		if (value != null) {
			headers.add(new String[] { name, value });
		}
		return new Request(request.method(), request.target(), headers, request.body());
	}

	Request basePost(String path, String key, String body) {
		return Request.of("POST", path)
			.header("X-API-Key", key)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.body(body);
	}

}
