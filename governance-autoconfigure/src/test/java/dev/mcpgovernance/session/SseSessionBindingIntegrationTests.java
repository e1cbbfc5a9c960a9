package dev.mcpgovernance.session;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy SSE transport: the session opened by a GET of the event stream belongs to its caller,
 * and another caller's POST to the message endpoint with its {@code sessionId} is answered as an
 * unknown session, while the owner's messages go on being answered on its stream.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=SSE",
				"spring.datasource.url=jdbc:h2:mem:sse-session-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class SseSessionBindingIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	SessionRegistry sessions;

	private String key(String owner) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of("inventory:*:read")), 100_000, null).secret();
	}

	@Test
	void anotherCallersMessageWithTheSessionIdIsAnsweredAsAnUnknownSession() throws Exception {
		String alice = key("sse-alice");
		String bob = key("sse-bob");
		HttpResponse<Stream<String>> stream = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/sse"))
			.header("Accept", "text/event-stream")
			.header("X-API-Key", alice)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofLines());
		Iterator<String> events = stream.body().iterator();
		String endpoint = next(events, "data:").substring("data:".length()).trim();
		assertThat(endpoint).contains("sessionId=");
		String sessionId = endpoint.substring(endpoint.indexOf("sessionId=") + "sessionId=".length());
		assertThat(post(alice, endpoint, RawMcp.INITIALIZE).statusCode()).isEqualTo(200);
		next(events, "\"id\":1");
		assertThat(post(alice, endpoint, RawMcp.INITIALIZED).statusCode()).isEqualTo(200);

		HttpResponse<String> stolen = post(bob, endpoint, RawMcp.TOOLS_LIST);
		HttpResponse<String> unknown = post(bob, "/mcp/message?sessionId=no-such-session", RawMcp.TOOLS_LIST);
		HttpResponse<String> smuggled = post(bob, "/mcp/message?sessionId=no-such-session&sessionId=" + sessionId,
				RawMcp.TOOLS_LIST);

		for (HttpResponse<String> refused : List.of(stolen, unknown, smuggled)) {
			assertThat(refused.statusCode()).isEqualTo(404);
			assertThat(JSON.readTree(refused.body())).isEqualTo(JSON.readTree(
					"{\"jsonrpc\":\"2.0\",\"id\":42,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}"));
		}
		assertThat(post(alice, endpoint, RawMcp.TOOLS_LIST).statusCode()).isEqualTo(200);
		assertThat(next(events, "\"id\":42")).contains("\"tools\"");
		stream.body().close();
	}

	private HttpResponse<String> post(String key, String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("X-API-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String next(Iterator<String> lines, String containing) {
		while (lines.hasNext()) {
			String line = lines.next();
			if (line.contains(containing)) {
				return line;
			}
		}
		throw new AssertionError("The event stream ended before a line with " + containing);
	}

}
