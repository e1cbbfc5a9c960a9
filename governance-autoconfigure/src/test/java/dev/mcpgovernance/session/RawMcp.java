package dev.mcpgovernance.session;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Raw HTTP against the streamable endpoint of a running test server, for what an MCP client
 * would never send: another caller's session id.
 */
final class RawMcp {

	static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
			"capabilities":{},"clientInfo":{"name":"session-test","version":"1"}}}""";

	static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

	static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/list\",\"params\":{}}";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	RawMcp(int port) {
		this.port = port;
	}

	/** Opens a session as the key's caller: initialize, then the initialized notification. */
	String openSession(String key) throws Exception {
		HttpResponse<String> response = post(key, null, INITIALIZE);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("initialize answered " + response.statusCode() + ": " + response.body());
		}
		String sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
		HttpResponse<String> initialized = post(key, sessionId, INITIALIZED);
		if (initialized.statusCode() != 202) {
			throw new IllegalStateException("initialized answered " + initialized.statusCode());
		}
		return sessionId;
	}

	HttpResponse<String> post(String key, String sessionId, String body) throws Exception {
		HttpRequest.Builder request = request(key, sessionId).POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream");
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> delete(String key, String sessionId) throws Exception {
		return this.http.send(request(key, sessionId).DELETE().build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A GET of the session's event stream; the answer completes when the stream ends (a listening
	 * stream sends nothing, not even its headers, until the server has something to say).
	 */
	CompletableFuture<HttpResponse<String>> openStream(String key, String sessionId) {
		HttpRequest request = request(key, sessionId).GET()
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofMinutes(5))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	/** A GET of the session's event stream read to its end, for an answer that is not a stream. */
	HttpResponse<String> get(String key, String sessionId) throws Exception {
		return openStream(key, sessionId).get(10, TimeUnit.SECONDS);
	}

	/** Whether the stream is still open after a moment. */
	static boolean staysOpen(CompletableFuture<HttpResponse<String>> stream) throws InterruptedException {
		Thread.sleep(500);
		return !stream.isDone();
	}

	/** Whether the stream ends within {@code timeout}. */
	static boolean ends(CompletableFuture<HttpResponse<String>> stream, Duration timeout) {
		try {
			stream.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (Exception ex) {
			return stream.isDone();
		}
	}

	private HttpRequest.Builder request(String key, String sessionId) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.timeout(Duration.ofSeconds(20))
			.header("X-API-Key", key);
		if (sessionId != null) {
			request.header("Mcp-Session-Id", sessionId);
		}
		return request;
	}

}
