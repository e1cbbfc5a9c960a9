package dev.mcpgovernance.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.modelcontextprotocol.client.McpSyncClient;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI 2.0.1's legacy SSE transport writes the {@code endpoint} event from the request thread
 * outside the lock its sessions write under, and Spring's SSE builder clears its buffer after the
 * flush; a client's {@code initialize} answered from another thread in between lost its
 * {@code event:} line and the client timed out (twice in CI). The starter holds the stream's flushes
 * until the request thread has left the chain, so no client can answer before then.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, SseStreamOpeningIntegrationTests.SlowLeaving.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=SSE",
				"spring.datasource.url=jdbc:h2:mem:sse-opening-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class SseStreamOpeningIntegrationTests {

	// How long the request thread lingers inside the chain after the transport wrote the endpoint event.
	static final long LINGER_MILLIS = 1500;

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private String key(String owner) {
		return this.apiKeys.create(owner, null, ScopeSet.parse(List.of("orders:*:read")), 100_000, null).secret();
	}

	@Test
	void theEndpointEventReachesTheClientOnlyOnceTheRequestThreadHasLeft() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		long start = System.nanoTime();
		HttpResponse<Stream<String>> stream = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/sse"))
			.header("Accept", "text/event-stream")
			.header("X-API-Key", key("opening"))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofLines());
		try {
			Iterator<String> lines = stream.body().iterator();
			String first = lines.next();
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(first).isEqualTo("event:endpoint");
			assertThat(lines.next()).startsWith("data:/mcp/message?sessionId=");
			// Without the hold the event is flushed while the request thread is still inside the chain.
			assertThat(elapsedMillis).isGreaterThanOrEqualTo(LINGER_MILLIS - 100);
		}
		finally {
			stream.body().close();
		}
	}

	@Test
	void clientsOpeningStreamsTogetherAllInitializeAndAreServed() throws Exception {
		String secret = key("together");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Boolean>> calls = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				calls.add(pool.submit((Callable<Boolean>) () -> {
					try (McpSyncClient client = McpTestClient.sse(this.port, "X-API-Key", secret)) {
						return !McpTestClient.call(client, "get_order", Map.of("orderId", "o-1")).isError();
					}
				}));
			}
			for (Future<Boolean> call : calls) {
				assertThat(call.get()).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A servlet filter inside the governance chain that keeps the request thread after the transport wrote. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SlowLeaving {

		@Bean
		FilterRegistrationBean<Filter> slowLeaving() {
			Filter filter = new Filter() {

				@Override
				public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
						throws IOException, ServletException {
					chain.doFilter(request, response);
					if ("/sse".equals(((HttpServletRequest) request).getRequestURI()) && request.isAsyncStarted()) {
						try {
							Thread.sleep(LINGER_MILLIS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
				}

			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(Ordered.LOWEST_PRECEDENCE);
			return registration;
		}

	}

}
