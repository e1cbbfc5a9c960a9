package dev.mcpgovernance.security;

import java.time.Duration;
import java.util.List;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.RawHttp.Answer;
import dev.mcpgovernance.security.RawHttp.Request;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that arrives while the MCP transport shuts down: the transport answers it with 503 and a
 * plain text, which goes out as a clean JSON-RPC error. The context is closed afterwards.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:edge-shutdown;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
@DirtiesContext
class McpEdgeShutdownIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	WebMvcStreamableServerTransportProvider transport;

	@Test
	void requestsDuringShutdownGet503WithACleanJsonRpcError() throws Exception {
		String key = this.apiKeys.create("shutdown", null, ScopeSet.parse(List.of("orders:*:*")), null, null).secret();
		Request initialize = Request.of("POST", "/mcp")
			.header("X-API-Key", key)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.body(McpTestClient.initializeBody());
		Answer opened = RawHttp.send(this.port, initialize, Duration.ofSeconds(10));
		assertThat(opened.status()).isEqualTo(200);
		String session = opened.header("Mcp-Session-Id");

		this.transport.closeGracefully().block(Duration.ofSeconds(10));

		for (Request request : List.of(initialize,
				McpEdgeContract.replace(initialize, "Mcp-Session-Id", session)
					.body("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"}"),
				Request.of("GET", "/mcp").header("X-API-Key", key).header("Accept", "text/event-stream")
					.header("Mcp-Session-Id", session),
				Request.of("DELETE", "/mcp").header("X-API-Key", key).header("Mcp-Session-Id", session))) {
			Answer answer = RawHttp.send(this.port, request, McpEdgeContract.FINISHED_WITHIN);
			String described = request + " -> " + answer;
			assertThat(answer.finished()).as(described).isTrue();
			assertThat(answer.status()).as(described).isEqualTo(503);
			McpEdgeContract.assertNoMarker(answer, described);
			JsonNode body = JSON.readTree(answer.body());
			assertThat(body.at("/error/code").asInt()).as(described).isEqualTo(-32000);
			assertThat(body.at("/error/message").asString()).as(described).isEqualTo("Service Unavailable");
		}
	}

}
