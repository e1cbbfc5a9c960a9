package dev.mcpgovernance.session;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamable session's requests are answered on the request's own thread, with the events Spring
 * AI's handler writes but without the servlet async dispatch it needs (issue 23; architecture
 * difference 63), and a session in use still reaches the transport often enough never to be evicted
 * there. An ASYNC-only servlet filter counts the async dispatches to {@code /mcp}.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, StreamableInlineAnswersIntegrationTests.AsyncDispatches.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:inline-answers-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.sessions.idle-timeout=3s" })
class StreamableInlineAnswersIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String WHOAMI = """
			{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""";

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	AsyncDispatches asyncDispatches;

	RawMcp mcp;

	@BeforeEach
	void client() {
		this.mcp = new RawMcp(this.port);
	}

	private String key(String owner) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of("inventory:*:read")), 10_000_000, null).secret();
	}

	@Test
	void aSessionsRequestsAreAnsweredWithoutAnAsyncDispatchAndAsSpringAiAnswersThem() throws Exception {
		String alice = key("inline-alice");
		String session = this.mcp.openSession(alice);
		int before = this.asyncDispatches.count.get();
		long started = System.nanoTime();
		int calls = 20;
		for (int i = 0; i < calls; i++) {
			HttpResponse<String> answer = this.mcp.post(alice, session, WHOAMI);
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			JsonNode result = data(answer.body()).path("result");
			assertThat(result.path("isError").asBoolean()).as(answer.body()).isFalse();
			// The caller reached the tool: the transport context was filled for this request too.
			assertThat(result.path("content").path(0).path("text").asString()).startsWith("\"inline-alice|");
		}
		long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		// A session's request goes to Spring AI's handler (and so through an async dispatch) at most once a second.
		assertThat(this.asyncDispatches.count.get() - before).as("async dispatches for %d calls in %d ms", calls, elapsedMillis)
			.isLessThanOrEqualTo(1 + (int) (elapsedMillis / 1000));

		// After a second without, the next request goes to Spring AI's handler, so that the transport sees the
		// session in use; its answer has the very same events as one answered inline.
		HttpResponse<String> inline = this.mcp.post(alice, session, RawMcp.TOOLS_LIST);
		Thread.sleep(1100);
		int beforeRefresh = this.asyncDispatches.count.get();
		HttpResponse<String> springAi = this.mcp.post(alice, session, RawMcp.TOOLS_LIST);
		assertThat(this.asyncDispatches.count.get() - beforeRefresh).isEqualTo(1);
		assertThat(inline.statusCode()).isEqualTo(springAi.statusCode()).isEqualTo(200);
		assertThat(inline.body()).isEqualTo(springAi.body()).startsWith("id:").contains("\nevent:message\ndata:{");
		assertThat(inline.headers().firstValue("Content-Type")).isEqualTo(springAi.headers().firstValue("Content-Type"));
		assertThat(inline.headers().firstValue("Cache-Control")).isEqualTo(springAi.headers().firstValue("Cache-Control"));
	}

	@Test
	void aSessionInUseOutlivesTheTransportsIdleTimeout() throws Exception {
		String bob = key("inline-bob");
		String session = this.mcp.openSession(bob);
		// Three idle timeouts (3 s; the transport's own is 3.75 s) of requests every 200 ms, nearly all answered inline.
		long end = System.nanoTime() + Duration.ofSeconds(9).toNanos();
		int calls = 0;
		while (System.nanoTime() < end) {
			HttpResponse<String> answer = this.mcp.post(bob, session, RawMcp.TOOLS_LIST);
			assertThat(answer.statusCode()).as("call %d: %s", calls, answer.body()).isEqualTo(200);
			calls++;
			Thread.sleep(200);
		}
		assertThat(calls).isGreaterThan(10);
	}

	@Test
	void anotherCallersRequestOnTheSessionIsStillRefused() throws Exception {
		String owner = key("inline-owner");
		String intruder = key("inline-intruder");
		String session = this.mcp.openSession(owner);
		assertThat(this.mcp.post(owner, session, WHOAMI).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = this.mcp.post(intruder, session, WHOAMI);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(refused.body()).doesNotContain("inline-owner");
	}

	private static JsonNode data(String events) throws IOException {
		String data = events.lines().filter((line) -> line.startsWith("data:")).findFirst().orElseThrow();
		return JSON.readTree(data.substring("data:".length()));
	}

	/** Counts the ASYNC dispatches of requests to {@code /mcp}. */
	@TestConfiguration(proxyBeanMethods = false)
	static class AsyncDispatches {

		final AtomicInteger count = new AtomicInteger();

		@Bean
		FilterRegistrationBean<Filter> asyncDispatchCounter() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				if ("/mcp".equals(((HttpServletRequest) request).getRequestURI())) {
					this.count.incrementAndGet();
				}
				chain.doFilter(request, response);
			});
			registration.setDispatcherTypes(DispatcherType.ASYNC);
			return registration;
		}

	}

}
