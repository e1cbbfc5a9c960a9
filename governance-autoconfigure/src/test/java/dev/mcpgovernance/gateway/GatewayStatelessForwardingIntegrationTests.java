package dev.mcpgovernance.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stateless gateway has no way back to its callers: the same upstream tool that reports progress,
 * logs and asks a question is still answered cleanly, the upstream is refused its question (the
 * shared session declares no elicitation), and nothing of the upstream reaches the caller.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STATELESS",
				"spring.datasource.url=jdbc:h2:mem:gateway-stateless-forwarding-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h", "mcp.governance.upstreams.survey.allowed-tools=survey" })
class GatewayStatelessForwardingIntegrationTests {

	private static final GatewayForwardingIntegrationTests.Survey SURVEY = new GatewayForwardingIntegrationTests.Survey();

	private static final ConfigurableApplicationContext upstream = UpstreamTestServer.withTool("survey", SURVEY.tool());

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.upstreams.survey.url",
				() -> "http://127.0.0.1:" + UpstreamTestServer.port(upstream) + "/mcp");
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@Test
	void theCallIsAnsweredAndNothingIsForwarded() throws InterruptedException {
		String key = this.apiKeys.create("stateless-caller", null, ScopeSet.parse(List.of("survey:*:*")), null, null)
			.secret();
		Queue<String> received = new ConcurrentLinkedQueue<>();
		McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port)
				.endpoint("/mcp")
				.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
				.build())
			.requestTimeout(Duration.ofSeconds(20))
			.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> {
				received.add("question " + request.message());
				return new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("colour", "red"));
			})
			.progressConsumer((notification) -> received.add("progress " + notification.message()))
			.loggingConsumer((notification) -> received.add("log " + notification.data()))
			.build();
		try (client) {
			client.initialize();
			CallToolResult result = client.callTool(CallToolRequest.builder()
				.name("survey")
				.arguments(Map.of("marker", "s1", "ask", true))
				.progressToken("token-s1")
				.build());
			assertThat(result.isError()).isFalse();
			assertThat(text(result)).isEqualTo("survey s1 answer refused");
			// Anything forwarded would have arrived by now: the consumers run shortly after the result.
			Thread.sleep(500);
			assertThat(received).isEmpty();
		}
		assertThat(SURVEY.refused).containsExactly("s1");
		assertThat(SURVEY.tokens.get("s1")).isEqualTo("<none>");
	}

}
