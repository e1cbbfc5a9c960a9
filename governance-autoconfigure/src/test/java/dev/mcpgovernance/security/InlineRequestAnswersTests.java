package dev.mcpgovernance.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.mcpgovernance.http.JsonRpcMessages;
import dev.mcpgovernance.session.StreamableSessions;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * What the starter answers itself on a streamable session's request thread, and what it leaves to
 * Spring AI's handler ({@link InlineRequestAnswers}, {@link InlineEventStream}).
 */
class InlineRequestAnswersTests {

	private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

	private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}";

	private static final ServerResponse FROM_SPRING_AI = ServerResponse.status(299).build();

	private static final HandlerFunction<ServerResponse> SPRING_AI = (request) -> FROM_SPRING_AI;

	private final McpStreamableServerSession session = mock(McpStreamableServerSession.class);

	private final StreamableSessions sessions = new StreamableSessions(Duration.ofMinutes(30));

	private final InlineRequestAnswers answers = new InlineRequestAnswers(this.sessions, JSON,
			(request) -> McpTransportContext.create(Map.of("caller", "alice")));

	private final AtomicReference<McpStreamableServerTransport> stream = new AtomicReference<>();

	InlineRequestAnswersTests() {
		given(this.session.getId()).willReturn("s-1");
		this.sessions.opened(this.session);
	}

	@Test
	void aSessionsRequestIsAnsweredWithTheEventsTheSessionSendsInTheirOrder() throws Exception {
		answering((transport) -> transport
			.sendMessage(new McpSchema.JSONRPCNotification("2.0", "notifications/progress", Map.of("progress", 1)))
			.then(transport.sendMessage(new McpSchema.JSONRPCResponse("2.0", 7, Map.of("tools", List.of()), null))));
		MockHttpServletResponse response = write(this.answers.filter(request(TOOLS_LIST), SPRING_AI));

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("text/event-stream");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(response.getContentAsString()).isEqualTo("""
				id:s-1
				event:message
				data:{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}

				id:s-1
				event:message
				data:{"jsonrpc":"2.0","id":7,"result":{"tools":[]}}

				""");
	}

	@Test
	void whatComesBeforeTheAnswerGoesOutAtOnceAndTheAnswerWithTheEndOfTheResponse() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicBoolean sentBeforeTheAnswer = new AtomicBoolean();
		answering((transport) -> transport
			.sendMessage(new McpSchema.JSONRPCNotification("2.0", "notifications/progress", Map.of("progress", 1)))
			.then(Mono.fromRunnable(() -> sentBeforeTheAnswer.set(response.isCommitted())))
			.then(transport.sendMessage(new McpSchema.JSONRPCResponse("2.0", 7, Map.of(), null))));
		this.answers.filter(request(TOOLS_LIST), SPRING_AI)
			.writeTo(new MockHttpServletRequest(), response, InlineRequestAnswersTests::converters);

		assertThat(sentBeforeTheAnswer).as("the progress was flushed to the client before the answer").isTrue();

		MockHttpServletResponse answerOnly = new MockHttpServletResponse();
		answering((transport) -> transport.sendMessage(new McpSchema.JSONRPCResponse("2.0", 7, Map.of(), null)));
		this.answers.filter(request(TOOLS_LIST), SPRING_AI)
			.writeTo(new MockHttpServletRequest(), answerOnly, InlineRequestAnswersTests::converters);
		// The container sends it as the request ends, in one write with the end of the body.
		assertThat(answerOnly.isCommitted()).isFalse();
		assertThat(answerOnly.getContentAsString()).endsWith("data:{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\n");
	}

	@Test
	void nothingIsWrittenOnceTheRequestsThreadHasLeft() throws Exception {
		answering((transport) -> transport.sendMessage(new McpSchema.JSONRPCResponse("2.0", 7, Map.of(), null)));
		MockHttpServletResponse response = write(this.answers.filter(request(TOOLS_LIST), SPRING_AI));
		String answered = response.getContentAsString();

		// A late message (a worker thread's progress, say) must not reach a response that may serve another request now.
		this.stream.get().sendMessage(new McpSchema.JSONRPCNotification("2.0", "notifications/message", Map.of())).block();
		assertThat(response.getContentAsString()).isEqualTo(answered);
	}

	@Test
	void aFailedRequestStreamIsAnInternalErrorThatQuotesNothing() throws Exception {
		given(this.session.responseStream(any(), any()))
			.willReturn(Mono.error(new IllegalStateException("SELECT secret FROM accounts WHERE id = 42")));
		MockHttpServletResponse response = write(this.answers.filter(request(TOOLS_LIST), SPRING_AI));

		assertThat(response.getStatus()).isEqualTo(500);
		assertThat(response.getContentType()).startsWith("application/json");
		assertThat(response.getContentAsString()).contains("\"id\":7", "Internal error").doesNotContain("SELECT", "secret");
	}

	@Test
	void whatSpringAiAnswersWithoutAStreamOrCannotFindGoesToItsHandler() throws Exception {
		List<MockHttpServletRequest> others = new ArrayList<>();
		others.add(servletRequest("""
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"""));
		others.add(servletRequest("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
		others.add(servletRequest("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));
		MockHttpServletRequest unknownSession = servletRequest(TOOLS_LIST);
		unknownSession.removeHeader("Mcp-Session-Id");
		unknownSession.addHeader("Mcp-Session-Id", "s-unknown");
		others.add(unknownSession);
		MockHttpServletRequest noSession = servletRequest(TOOLS_LIST);
		noSession.removeHeader("Mcp-Session-Id");
		others.add(noSession);
		MockHttpServletRequest notChecked = servletRequest(TOOLS_LIST);
		notChecked.removeAttribute(JsonRpcMessages.BODY_ATTRIBUTE);
		others.add(notChecked);
		MockHttpServletRequest jsonOnly = servletRequest(TOOLS_LIST);
		jsonOnly.removeHeader("Accept");
		jsonOnly.addHeader("Accept", "application/json");
		others.add(jsonOnly);
		MockHttpServletRequest unparsableAccept = servletRequest(TOOLS_LIST);
		unparsableAccept.removeHeader("Accept");
		unparsableAccept.addHeader("Accept", "application/json, text/event-stream;;=");
		others.add(unparsableAccept);
		MockHttpServletRequest notJson = servletRequest("{\"jsonrpc\":");
		others.add(notJson);
		MockHttpServletRequest get = servletRequest(TOOLS_LIST);
		get.setMethod("GET");
		others.add(get);
		for (MockHttpServletRequest other : others) {
			assertThat(this.answers.filter(ServerRequest.create(other, converters()), SPRING_AI)).isSameAs(FROM_SPRING_AI);
		}
	}

	@Test
	void aClosedSessionsRequestsGoToSpringAisHandler() throws Exception {
		this.sessions.closed("s-1");
		assertThat(this.answers.filter(request(TOOLS_LIST), SPRING_AI)).isSameAs(FROM_SPRING_AI);
	}

	@Test
	void anEventWithLineBreaksHasADataLinePerLine() {
		assertThat(new String(InlineEventStream.event("e1", "a\nb\r\nc"), java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("id:e1\nevent:message\ndata:a\ndata:b\ndata:c\n\n");
	}

	private void answering(java.util.function.Function<McpStreamableServerTransport, Mono<Void>> answer) {
		given(this.session.responseStream(any(), any())).willAnswer((invocation) -> {
			McpStreamableServerTransport transport = invocation.getArgument(1);
			this.stream.set(transport);
			return Mono.deferContextual((context) -> {
				// The transport context reaches the session as Spring AI's handler puts it there.
				assertThat(context.<McpTransportContext>get(McpTransportContext.KEY).get("caller")).isEqualTo("alice");
				return answer.apply(transport);
			});
		});
	}

	private static ServerRequest request(String body) {
		return ServerRequest.create(servletRequest(body), converters());
	}

	private static MockHttpServletRequest servletRequest(String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
		request.addHeader("Mcp-Session-Id", "s-1");
		request.addHeader("Accept", "application/json, text/event-stream");
		request.setContentType("application/json");
		request.setAttribute(JsonRpcMessages.BODY_ATTRIBUTE, body);
		return request;
	}

	private static List<HttpMessageConverter<?>> converters() {
		return List.of();
	}

	private static MockHttpServletResponse write(ServerResponse answer) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		answer.writeTo(new MockHttpServletRequest(), response, InlineRequestAnswersTests::converters);
		return response;
	}

}
