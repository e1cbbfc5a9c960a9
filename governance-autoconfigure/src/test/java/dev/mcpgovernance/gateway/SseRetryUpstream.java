package dev.mcpgovernance.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A hand-written streamable-HTTP MCP server that answers every request as an SSE stream the way the
 * MCP conformance suite's reference server does: a priming event with an {@code id:}, a
 * {@code retry:} line and empty data, then the message with an {@code id:} and another
 * {@code retry:} line. It speaks just enough MCP for a gateway (initialize, notifications,
 * tools/list, tools/call), serves the tools it is given verbatim, and records every
 * {@code tools/call} it receives, so a test can prove what did and did not reach it.
 */
final class SseRetryUpstream implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final List<Map<String, Object>> tools;

	private final AtomicInteger events = new AtomicInteger();

	/** The name of every tool called, in order. */
	final List<String> calls = new CopyOnWriteArrayList<>();

	/** @param tools the tools/list entries (name, description, inputSchema, …) as JSON objects */
	SseRetryUpstream(List<Map<String, Object>> tools) throws IOException {
		this.tools = new CopyOnWriteArrayList<>(tools);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/mcp", this::handle);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/mcp";
	}

	/** Stops listing a tool from now on; calls of it are still answered, as by a real server. */
	void withdraw(String name) {
		this.tools.removeIf((tool) -> name.equals(tool.get("name")));
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				// No server-initiated stream (GET) and nothing to end on DELETE.
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			Map<String, Object> request = read(exchange.getRequestBody());
			if (!request.containsKey("id")) {
				exchange.sendResponseHeaders(202, -1);
				return;
			}
			Map<String, Object> response = new LinkedHashMap<>();
			response.put("jsonrpc", "2.0");
			response.put("id", request.get("id"));
			Object outcome = answer(String.valueOf(request.get("method")), params(request));
			response.put((outcome instanceof JsonRpcError) ? "error" : "result",
					(outcome instanceof JsonRpcError error) ? error.asMap() : outcome);
			if ("initialize".equals(request.get("method"))) {
				exchange.getResponseHeaders().set("Mcp-Session-Id", UUID.randomUUID().toString());
			}
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.getResponseHeaders().set("Cache-Control", "no-cache");
			byte[] body = sse(JSON.writeValueAsString(response)).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	private Object answer(String method, Map<String, Object> params) {
		return switch (method) {
			case "initialize" -> Map.of("protocolVersion", params.getOrDefault("protocolVersion", "2025-06-18"),
					"capabilities", Map.of("tools", Map.of("listChanged", false)), "serverInfo",
					Map.of("name", "sse-retry-upstream", "version", "1.0.0"));
			case "ping" -> Map.of();
			case "tools/list" -> Map.of("tools", List.copyOf(this.tools));
			case "tools/call" -> call(String.valueOf(params.get("name")), params.get("arguments"));
			default -> new JsonRpcError(-32601, "Method not found");
		};
	}

	private Object call(String name, Object arguments) {
		this.calls.add(name);
		if (this.tools.stream().noneMatch((tool) -> name.equals(tool.get("name")))) {
			return new JsonRpcError(-32602, "Unknown tool");
		}
		return Map.of("content", List.of(Map.of("type", "text", "text", name + " ran with " + arguments)), "isError",
				false);
	}

	/** A priming event (id, retry, empty data), then the message among an id and a retry line. */
	private String sse(String message) {
		int event = this.events.incrementAndGet();
		return "id: " + event + "-0\nretry: 1000\ndata: \n\n" + "id: " + event + "-1\nretry: 1000\ndata: " + message
				+ "\n\n";
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read(InputStream body) throws IOException {
		return JSON.readValue(body.readAllBytes(), Map.class);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> params(Map<String, Object> request) {
		Object params = request.get("params");
		return (params instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	private record JsonRpcError(int code, String message) {

		Map<String, Object> asMap() {
			return Map.of("code", this.code, "message", this.message);
		}

	}

}
