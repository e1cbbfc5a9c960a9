package dev.mcpgovernance.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request that carries more than one credential is refused, never served with one of them picked:
 * otherwise a caller holding a reader's key and an admin's would choose whose scopes a request runs
 * with by the order of its headers.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:ambiguous-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class AmbiguousCredentialsIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private String key(String owner, String... scopes) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scopes)), null, null).secret();
	}

	@Test
	void aReadersKeyAndAnAdminsKeyTogetherAreRefusedThroughARealClient() {
		String reader = key("reader", "orders:order:read");
		String admin = key("admin", "orders:*:*");
		McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port)
				.endpoint("/mcp")
				.httpRequestCustomizer((request, method, endpoint, body, context) -> request
					.header("Authorization", "Bearer " + reader)
					.header("X-API-Key", admin))
				.build())
			.build();

		assertThatThrownBy(client::initialize).rootCause()
			.isInstanceOfSatisfying(McpHttpClientTransportAuthorizationException.class,
					(refusal) -> assertThat(refusal.getResponseInfo().statusCode()).isEqualTo(401));
		client.close();
	}

	@Test
	void twoAuthorizationHeadersOrTwoApiKeysAreRefusedWhicheverComesFirst() throws Exception {
		String reader = key("reader", "orders:order:read");
		String admin = key("admin", "orders:*:*");

		HttpResponse<String> twoAuthorizations = post("Authorization", "Bearer " + reader, "Authorization",
				"Bearer " + admin);
		HttpResponse<String> twoApiKeys = post("X-API-Key", admin, "X-API-Key", reader);

		for (HttpResponse<String> refused : List.of(twoAuthorizations, twoApiKeys)) {
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(refused.body()).contains("Send one credential");
			assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
		}
	}

	@Test
	void oneCredentialStillWorksAndTheSameKeyInBothHeadersIsOneCredential() throws Exception {
		String reader = key("reader", "orders:order:read");

		assertThat(post("X-API-Key", reader, "Authorization", "Bearer " + reader).statusCode()).isEqualTo(200);
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", reader)) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			assertThat(error(call(client, "cancel_order", Map.of("orderId", "o-1")))).containsEntry("error_code",
					"forbidden");
		}
	}

	private HttpResponse<String> post(String... headers) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.headers(headers)
			.POST(HttpRequest.BodyPublishers.ofString(McpTestClient.initializeBody()))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
