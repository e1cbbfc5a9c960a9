package dev.mcpgovernance.it.oauth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.oauth.AuthorizationServers.PRIMARY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An MCP session opened with an access token ends when the token does ({@code exp} plus the clock
 * skew, here 1 s), with its open event stream; a newer token of the same caller carries it on.
 * Tokens signed with the authorization server's real key, with a short {@code exp}.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:oauth-session-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.oauth.clock-skew=1s" })
class OAuthSessionExpiryIntegrationTests {

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
			"capabilities":{},"clientInfo":{"name":"expiry-test","version":"1"}}}""";

	private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void authorizationServers(DynamicPropertyRegistry registry) {
		AuthorizationServers.trustPrimaryAndSecond(registry);
	}

	private static String token(Duration validFor) throws Exception {
		JWTClaimsSet claims = ForgedTokens.claims(PRIMARY, "inventory:item:read")
			.expirationTime(Date.from(Instant.now().plus(validFor)))
			.build();
		return ForgedTokens.signedByTheServer(PRIMARY, claims);
	}

	@Test
	void theSessionAndItsEventStreamEndWithTheToken() throws Exception {
		String session = openSession(token(Duration.ofSeconds(3)));
		CompletableFuture<HttpResponse<String>> stream = openStream(token(Duration.ofMinutes(5)), session);
		Thread.sleep(500);
		assertThat(stream).as("the event stream is open").isNotDone();

		// The GET above renewed the session's validity to the newer token; this one of 3 s ends it.
		assertThat(post(token(Duration.ofSeconds(3)), session, TOOLS_LIST).statusCode()).isEqualTo(200);

		assertThat(stream.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(post(token(Duration.ofMinutes(5)), session, TOOLS_LIST).statusCode()).isEqualTo(404);
	}

	@Test
	void aNewerTokenOfTheSameCallerCarriesTheSessionOn() throws Exception {
		String session = openSession(token(Duration.ofSeconds(3)));
		assertThat(post(token(Duration.ofMinutes(5)), session, TOOLS_LIST).statusCode()).isEqualTo(200);
		Thread.sleep(5_000);
		assertThat(post(token(Duration.ofMinutes(5)), session, TOOLS_LIST).statusCode()).isEqualTo(200);
	}

	private String openSession(String token) throws Exception {
		HttpResponse<String> response = post(token, null, INITIALIZE);
		assertThat(response.statusCode()).isEqualTo(200);
		String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
		assertThat(post(token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
			.isEqualTo(202);
		return session;
	}

	private CompletableFuture<HttpResponse<String>> openStream(String token, String session) {
		return this.http.sendAsync(request(token, session).GET().header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String token, String session, String body) throws Exception {
		return this.http.send(request(token, session).POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String token, String session) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.header("Authorization", "Bearer " + token);
		if (session != null) {
			request.header("Mcp-Session-Id", session);
		}
		return request;
	}

}
