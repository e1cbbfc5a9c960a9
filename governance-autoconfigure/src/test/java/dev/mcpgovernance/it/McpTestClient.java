package dev.mcpgovernance.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import static org.assertj.core.api.Assertions.assertThat;

/** Real MCP clients (the MCP Java SDK's) and raw HTTP, pointed at a running test server. */
public final class McpTestClient {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private McpTestClient() {
	}

	/** A streamable-HTTP client sending {@code header: value} on every request; initialized. */
	public static McpSyncClient streamable(int port, String header, String value) {
		HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
			.builder("http://127.0.0.1:" + port)
			.endpoint("/mcp");
		if (header != null) {
			transport.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header(header, value));
		}
		return initialized(transport.build());
	}

	/** A legacy SSE client sending {@code header: value} on every request; initialized. */
	public static McpSyncClient sse(int port, String header, String value) {
		HttpClientSseClientTransport transport = HttpClientSseClientTransport.builder("http://127.0.0.1:" + port)
			.sseEndpoint("/sse")
			.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header(header, value))
			.build();
		return initialized(transport);
	}

	private static McpSyncClient initialized(McpClientTransport transport) {
		McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
		try {
			client.initialize();
		}
		catch (RuntimeException ex) {
			client.close();
			// The SDK's message says only that initialization failed; the causes say why (a refused
			// request, a timeout), which is what a failing run's summary line must show.
			throw new IllegalStateException("MCP client did not initialize: " + causes(ex), ex);
		}
		return client;
	}

	private static String causes(Throwable failure) {
		StringBuilder chain = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			chain.append((chain.length() > 0) ? " <- " : "").append(cause.getClass().getSimpleName()).append(": ")
				.append(cause.getMessage());
		}
		return chain.toString();
	}

	public static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return client.callTool(new CallToolRequest(tool, arguments));
	}

	/** The structured error envelope of a failed call. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> error(CallToolResult result) {
		return (Map<String, Object>) result.structuredContent();
	}

	/** The names of the tools the client's caller is shown. */
	public static List<String> toolNames(McpSyncClient client) {
		return client.listTools().tools().stream().map(Tool::name).toList();
	}

	/** The text of a result's first content. */
	public static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

	/**
	 * How a direct call was refused: the JSON-RPC error the SDK server answers for a tool it does not
	 * have, or the governance error code. A call that succeeded fails the test here.
	 */
	public static String refusal(McpSyncClient client, String tool, Map<String, Object> arguments) {
		CallToolResult result;
		try {
			result = call(client, tool, arguments);
		}
		catch (McpError ex) {
			return "json-rpc " + ex.getJsonRpcError().code();
		}
		assertThat(result.isError()).as("direct tools/call of '%s' was refused", tool).isTrue();
		return String.valueOf(error(result).get("error_code"));
	}

	public static HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream");
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A raw GET, with optional headers given as name, value, … */
	public static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(5))
			.GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	public static String initializeBody() {
		return """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
				"capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
	}

}
