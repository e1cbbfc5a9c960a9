package dev.mcpgovernance.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.RawHttp.Answer;
import dev.mcpgovernance.security.RawHttp.Request;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers the edge checks against configuration and against the body: {@code Host} (allowed
 * hosts, the resource's host, a custom pattern), {@code MCP-Protocol-Version}, and the 2026-07-28
 * {@code Mcp-Method}/{@code Mcp-Name} headers, which must agree with the JSON-RPC body: a header naming
 * one tool over a body calling another is refused before anything acts on either.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, McpEdgeHeadersIntegrationTests.Calls.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:edge-headers;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.resource=https://mcp.example.com/mcp",
				"mcp.governance.allowed-hosts=localhost,127.0.0.1,[::1],*.corp.example:8443" })
class McpEdgeHeadersIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	Calls calls;

	private String key;

	private String session;

	@BeforeEach
	void openSession() throws Exception {
		this.key = this.apiKeys.create("edge-headers", null, ScopeSet.parse(List.of("orders:*:*")), null, null)
			.secret();
		Answer initialized = RawHttp.send(this.port, post(McpTestClient.initializeBody()), Duration.ofSeconds(10));
		assertThat(initialized.status()).isEqualTo(200);
		this.session = initialized.header("Mcp-Session-Id");
		this.calls.events.clear();
	}

	private Request post(String body) {
		Request request = Request.of("POST", "/mcp")
			.header("X-API-Key", this.key)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream");
		return (this.session != null) ? request.header("Mcp-Session-Id", this.session).body(body) : request.body(body);
	}

	private static String call(String tool) {
		return """
				{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"%s","arguments":{"orderId":"o-1"}}}"""
			.formatted(tool);
	}

	@Test
	void aHeaderNamingOneToolOverABodyCallingAnotherIsRefusedAndNothingRuns() throws Exception {
		Answer answer = RawHttp.send(this.port,
				post(call("cancel_order")).header("Mcp-Method", "tools/call").header("Mcp-Name", "get_order"), TIMEOUT);

		assertThat(answer.status()).isEqualTo(400);
		JsonNode body = JSON.readTree(answer.body());
		assertThat(body.get("id").asInt()).isEqualTo(21);
		assertThat(body.at("/error/code").asInt()).isEqualTo(-32020);
		assertThat(body.at("/error/message").asString()).startsWith("Header mismatch: Mcp-Name")
			.doesNotContain("get_order", "cancel_order");
		assertThat(this.calls.events).as("no tool ran, nothing was audited").isEmpty();
	}

	@Test
	void aMethodHeaderContradictingTheBodyIsRefused() throws Exception {
		Answer answer = RawHttp.send(this.port, post(call("cancel_order")).header("Mcp-Method", "tools/list"), TIMEOUT);

		assertThat(answer.status()).isEqualTo(400);
		assertThat(JSON.readTree(answer.body()).at("/error/message").asString()).startsWith("Header mismatch: Mcp-Method");
		assertThat(this.calls.events).isEmpty();
	}

	@Test
	void headersAgreeingWithTheBodyPassAndTheToolRuns() throws Exception {
		Answer answer = RawHttp.send(this.port,
				post(call("cancel_order")).header("Mcp-Method", "tools/call").header("Mcp-Name", "cancel_order"), TIMEOUT);

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(this.calls.events).singleElement().satisfies((event) -> {
			assertThat(event.toolName()).isEqualTo("cancel_order");
		});
	}

	@Test
	void garbageProtocolVersionsAreRefusedAndTheServedOnesPass() throws Exception {
		for (String version : List.of("garbage", "1999-01-01", "2026-07-28", "")) {
			Answer answer = RawHttp.send(this.port,
					post(call("get_order")).header("MCP-Protocol-Version", version), TIMEOUT);
			assertThat(answer.status()).as(version).isEqualTo(400);
			assertThat(JSON.readTree(answer.body()).get("id").asInt()).isEqualTo(21);
		}
		for (String version : List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")) {
			Answer answer = RawHttp.send(this.port,
					post(call("get_order")).header("MCP-Protocol-Version", version), TIMEOUT);
			assertThat(answer.status()).as(version).isEqualTo(200);
		}
		assertThat(this.calls.events).hasSize(4);
	}

	@Test
	void theMcpJavaSdkClientPassesEveryCheck() {
		try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", this.key)) {
			assertThat(McpTestClient.call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
		}
	}

	@Test
	void hostsOutsideTheAllowedOnesAreRefusedWithoutAnOrigin() throws Exception {
		for (String host : List.of("evil.example.com", "evil.example.com:" + this.port, "localhost.evil.example",
				"corp.example:8443", "a.corp.example:8080", "mcp.example.com.evil")) {
			Answer answer = RawHttp.send(this.port, post(call("get_order")).header("Host", host), TIMEOUT);
			assertThat(answer.status()).as(host).isEqualTo(403);
			assertThat(JSON.readTree(answer.body()).get("error_code").asString()).isEqualTo("forbidden");
			assertThat(answer.body()).doesNotContain(host);
		}
		assertThat(this.calls.events).isEmpty();
	}

	@Test
	void allowedHostsAndTheResourcesHostPass() throws Exception {
		for (String host : List.of("localhost:" + this.port, "127.0.0.1", "[::1]:" + this.port, "LOCALHOST",
				"mcp.example.com", "mcp.example.com:443", "a.corp.example:8443")) {
			Answer answer = RawHttp.send(this.port, post(call("get_order")).header("Host", host), TIMEOUT);
			assertThat(answer.status()).as(host).isEqualTo(200);
		}
	}

	/** Every finished tool call, as the audit trail is told of it. */
	@Configuration(proxyBeanMethods = false)
	static class Calls {

		final List<ToolCallEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		ToolCallListener recordingListener() {
			return this.events::add;
		}

	}

}
