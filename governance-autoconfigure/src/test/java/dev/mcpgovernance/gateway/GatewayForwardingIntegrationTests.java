package dev.mcpgovernance.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolErrorCode;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.error;
import static dev.mcpgovernance.it.McpTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway is faithful in both directions: an upstream Spring AI server whose {@code survey} tool
 * reports progress, logs and asks its client a question (elicitation) during a call, the governed
 * gateway in front of it, and MCP Java SDK clients as callers. What the upstream sends during a
 * caller's call reaches that caller, its answer reaches the upstream, and none of it reaches
 * another caller, even while both calls are in the upstream at once.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, GatewayForwardingIntegrationTests.Events.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:gateway-forwarding-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.gateway.refresh-interval=1h", "mcp.governance.upstreams.survey.allowed-tools=survey" })
class GatewayForwardingIntegrationTests {

	private static final Survey SURVEY = new Survey();

	private static final ConfigurableApplicationContext upstream = UpstreamTestServer.withTool("survey", SURVEY.tool());

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	Events events;

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
	void progressAndLogsReachTheCallerUnderItsOwnToken() {
		try (Caller caller = new Caller("survey:*:*", null)) {
			CallToolResult result = caller.call("p1", false, "token-p1");
			assertThat(result.isError()).isFalse();
			assertThat(text(result)).isEqualTo("survey p1 answer none");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(caller.progress).containsExactly("token-p1 1.0/2.0 half of p1",
						"token-p1 2.0/2.0 done p1"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !caller.logs.isEmpty());
			// Redacted like a result: the upstream's password field never reaches the caller.
			assertThat(caller.logs).singleElement()
				.asString()
				.startsWith("info survey ")
				.contains("log of p1", "[REDACTED]")
				.doesNotContain("s3cret");
		}
		// The upstream was given a token of the gateway's own, never the caller's.
		assertThat(SURVEY.tokens.get("p1")).isNotNull().isNotEqualTo("token-p1");
	}

	@Test
	void aCallWithoutAProgressTokenGivesTheUpstreamNone() {
		try (Caller caller = new Caller("survey:*:*", null)) {
			assertThat(text(caller.call("n1", false, null))).isEqualTo("survey n1 answer none");
			await().atMost(Duration.ofSeconds(10)).until(() -> !caller.logs.isEmpty());
			assertThat(caller.progress).isEmpty();
		}
		assertThat(SURVEY.tokens.get("n1")).isEqualTo("<none>");
	}

	@Test
	void theUpstreamsQuestionReachesTheCallerAndItsAnswerTheUpstream() {
		try (Caller caller = new Caller("survey:*:*", "green")) {
			CallToolResult result = caller.call("e1", true, null);
			assertThat(result.isError()).isFalse();
			assertThat(text(result)).isEqualTo("survey e1 answer accept:green");
			assertThat(caller.questions).containsExactly("Which colour for e1?");
		}
	}

	@Test
	void twoConcurrentCallersSeeOnlyWhatTheirOwnCallCaused() throws Exception {
		try (Caller a = new Caller("survey:*:*", "red"); Caller b = new Caller("survey:*:*", "blue")) {
			assertOnlyTheirOwn(a, b);
		}
	}

	@Test
	void twoSessionsOfOneKeySeeOnlyWhatTheirOwnCallCaused() throws Exception {
		String key = key("survey:*:*", "one-key");
		try (Caller a = new Caller(key, "red"); Caller b = new Caller(key, "blue")) {
			assertOnlyTheirOwn(a, b);
		}
	}

	private static void assertOnlyTheirOwn(Caller a, Caller b) throws Exception {
		SURVEY.together = new CyclicBarrier(2);
		try {
			// Both calls are in the upstream at once (it waits for both) before it sends anything.
			CompletableFuture<CallToolResult> callA = CompletableFuture.supplyAsync(() -> a.call("A", true, "tok"));
			CompletableFuture<CallToolResult> callB = CompletableFuture.supplyAsync(() -> b.call("B", true, "tok"));
			assertThat(text(callA.get(30, TimeUnit.SECONDS))).isEqualTo("survey A answer accept:red");
			assertThat(text(callB.get(30, TimeUnit.SECONDS))).isEqualTo("survey B answer accept:blue");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(a.progress).hasSize(2));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(b.progress).hasSize(2));
			await().atMost(Duration.ofSeconds(10)).until(() -> !a.logs.isEmpty() && !b.logs.isEmpty());
			// Both chose the same progress token: still each gets only its own call's progress.
			assertThat(a.progress).containsExactly("tok 1.0/2.0 half of A", "tok 2.0/2.0 done A");
			assertThat(b.progress).containsExactly("tok 1.0/2.0 half of B", "tok 2.0/2.0 done B");
			assertThat(a.logs).singleElement().asString().contains("log of A").doesNotContain("log of B");
			assertThat(b.logs).singleElement().asString().contains("log of B").doesNotContain("log of A");
			assertThat(a.questions).containsExactly("Which colour for A?");
			assertThat(b.questions).containsExactly("Which colour for B?");
		}
		finally {
			SURVEY.together = null;
		}
	}

	@Test
	void aCallerWithoutElicitationGetsACleanResultAndTheUpstreamARefusal() {
		try (Caller caller = new Caller("survey:*:*", null)) {
			CallToolResult result = caller.call("r1", true, null);
			assertThat(result.isError()).isFalse();
			assertThat(text(result)).isEqualTo("survey r1 answer refused");
			assertThat(caller.questions).isEmpty();
		}
		assertThat(SURVEY.refused).contains("r1");
	}

	@Test
	void theCallIsGovernedAndAuditedAsBefore() {
		int runs = SURVEY.runs.size();
		try (Caller refused = new Caller("survey:other:call", "red")) {
			CallToolResult result = refused.call("g0", true, "token-g0");
			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "forbidden");
			assertThat(refused.questions).isEmpty();
			assertThat(refused.progress).isEmpty();
		}
		assertThat(SURVEY.runs).hasSize(runs);
		try (Caller allowed = new Caller("survey:*:*", "red")) {
			assertThat(allowed.call("g1", true, "token-g1").isError()).isFalse();
		}
		assertThat(this.events.calls).filteredOn((event) -> event.toolName().equals("survey"))
			.anySatisfy((event) -> {
				assertThat(event.errorCode()).isNull();
				assertThat(event.dataSource()).isEqualTo("upstream-survey");
				// The argument shape, never the values the caller sent.
				assertThat(event.arguments().toString()).doesNotContain("g1");
			})
			.anySatisfy((event) -> assertThat(event.errorCode()).isEqualTo(ToolErrorCode.FORBIDDEN));
	}

	private String key(String scope, String owner) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scope)), null, null).secret();
	}

	/**
	 * A caller of the gateway: an MCP Java SDK client with an API key, recording what reaches it in
	 * the order it arrives. The SDK's async client, because its sync client runs each notification
	 * consumer on a thread of its own (Reactor's bounded elastic scheduler), which can record two
	 * notifications that arrived in order the other way round.
	 */
	private final class Caller implements AutoCloseable {

		final Queue<String> progress = new ConcurrentLinkedQueue<>();

		final Queue<String> logs = new ConcurrentLinkedQueue<>();

		final Queue<String> questions = new ConcurrentLinkedQueue<>();

		private final McpAsyncClient client;

		/** @param colour its answer to a question, {@code null} for a client that declares no elicitation */
		Caller(String scopeOrKey, String colour) {
			String key = scopeOrKey.startsWith("sk_") ? scopeOrKey : key(scopeOrKey, "caller-" + scopeOrKey + "-" + colour);
			McpClient.AsyncSpec spec = McpClient
				.async(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + GatewayForwardingIntegrationTests.this.port)
					.endpoint("/mcp")
					.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("X-API-Key", key))
					.build())
				.requestTimeout(Duration.ofSeconds(20))
				.progressConsumer((notification) -> Mono.fromRunnable(() -> this.progress.add(notification.progressToken()
						+ " " + notification.progress() + "/" + notification.total() + " " + notification.message())))
				.loggingConsumer((notification) -> Mono.fromRunnable(() -> this.logs
					.add(notification.level().name().toLowerCase() + " " + notification.logger() + " " + notification.data())));
			if (colour != null) {
				spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
					.elicitation((request) -> Mono.fromCallable(() -> {
						this.questions.add(request.message());
						return new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("colour", colour));
					}).subscribeOn(Schedulers.boundedElastic()));
			}
			this.client = spec.build();
			this.client.initialize().block();
		}

		CallToolResult call(String marker, boolean ask, String progressToken) {
			CallToolRequest.Builder request = CallToolRequest.builder()
				.name("survey")
				.arguments(Map.of("marker", marker, "ask", ask));
			if (progressToken != null) {
				request.progressToken(progressToken);
			}
			return this.client.callTool(request.build()).block();
		}

		@Override
		public void close() {
			this.client.close();
		}

	}

	/** The upstream's tool: progress under the token it was given, a log message, and a question when asked to. */
	static final class Survey {

		final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

		final Queue<String> refused = new ConcurrentLinkedQueue<>();

		final Queue<String> runs = new ConcurrentLinkedQueue<>();

		volatile CyclicBarrier together;

		McpServerFeatures.SyncToolSpecification tool() {
			McpSchema.Tool tool = McpSchema.Tool.builder()
				.name("survey")
				.description("Asks the user for a colour")
				.inputSchema(new McpSchema.JsonSchema("object",
						Map.of("marker", Map.of("type", "string"), "ask", Map.of("type", "boolean")),
						List.of("marker", "ask"), null, null, null))
				.build();
			return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler(this::run).build();
		}

		private CallToolResult run(McpSyncServerExchange exchange, CallToolRequest request) {
			String marker = String.valueOf(request.arguments().get("marker"));
			this.runs.add(marker);
			Object token = request.progressToken();
			this.tokens.put(marker, (token != null) ? String.valueOf(token) : "<none>");
			CyclicBarrier barrier = this.together;
			if (barrier != null) {
				try {
					barrier.await(20, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException("the two calls did not meet", ex);
				}
			}
			if (token != null) {
				exchange.progressNotification(new McpSchema.ProgressNotification(token, 1.0, 2.0, "half of " + marker, null));
			}
			exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder()
				.level(McpSchema.LoggingLevel.INFO)
				.logger("survey")
				.data("{\"message\":\"log of " + marker + "\",\"password\":\"s3cret-" + marker + "\"}")
				.build());
			String answer = "none";
			if (Boolean.TRUE.equals(request.arguments().get("ask"))) {
				try {
					ElicitResult result = exchange.createElicitation(McpSchema.ElicitFormRequest
						.builder("Which colour for " + marker + "?",
								Map.of("type", "object", "properties", Map.of("colour", Map.of("type", "string"))))
						.build());
					answer = result.action().name().toLowerCase() + ":"
							+ ((result.content() != null) ? result.content().get("colour") : null);
				}
				catch (RuntimeException ex) {
					this.refused.add(marker);
					answer = "refused";
				}
			}
			if (token != null) {
				exchange.progressNotification(new McpSchema.ProgressNotification(token, 2.0, 2.0, "done " + marker, null));
			}
			return CallToolResult.builder().addTextContent("survey " + marker + " answer " + answer).build();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Events implements ToolCallListener {

		final Queue<ToolCallEvent> calls = new ConcurrentLinkedQueue<>();

		@Override
		public void onToolCall(ToolCallEvent event) {
			this.calls.add(event);
		}

	}

}
