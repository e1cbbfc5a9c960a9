package dev.mcpgovernance.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A plain Spring AI MCP server (streamable HTTP) on a random port that is an OAuth resource server
 * of its own: every request needs a JWT from {@code issuer} whose {@code aud} names
 * {@code audience} (Spring Boot's resource server with {@code jwt.audiences}). It records each
 * request it receives (before security decides) and counts the calls its tool really runs.
 */
final class ProtectedUpstreamServer implements AutoCloseable {

	/** What arrived: the Authorization header, the hook's tag header, and the status answered. */
	record Received(String method, String authorization, String requestTag, int status) {

		String bearer() {
			return (this.authorization != null && this.authorization.startsWith("Bearer "))
					? this.authorization.substring("Bearer ".length()) : null;
		}

	}

	static final String REQUEST_TAG = "X-Request-Tag";

	private final ConfigurableApplicationContext context;

	private final List<Received> received;

	private final AtomicInteger toolRuns;

	private ProtectedUpstreamServer(ConfigurableApplicationContext context, List<Received> received,
			AtomicInteger toolRuns) {
		this.context = context;
		this.received = received;
		this.toolRuns = toolRuns;
	}

	static ProtectedUpstreamServer start(String issuer, String audience) {
		List<Received> received = new CopyOnWriteArrayList<>();
		AtomicInteger toolRuns = new AtomicInteger();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Server.class)
			.initializers((GenericApplicationContext ctx) -> {
				ctx.registerBean(ToolCallbackProvider.class,
						() -> MethodToolCallbackProvider.builder().toolObjects(new Tickets(toolRuns)).build());
				ctx.registerBean("receivedRequests", Recorder.class, () -> new Recorder(received));
			})
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"spring.jmx.enabled=false", "spring.ai.mcp.server.protocol=STREAMABLE",
					"spring.ai.mcp.server.name=protected-tickets", "mcp.governance.enabled=false",
					"spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
					"spring.security.oauth2.resourceserver.jwt.audiences=" + audience,
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
							+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
					"management.endpoints.access.default=none")
			.run();
		context.getBean(McpSyncServer.class)
			.addResource(new McpServerFeatures.SyncResourceSpecification(
					McpSchema.Resource.builder().uri("tickets://queue").name("queue").mimeType("text/plain").build(),
					(exchange, request) -> new McpSchema.ReadResourceResult(
							List.of(new McpSchema.TextResourceContents(request.uri(), "text/plain", "3 open")))));
		return new ProtectedUpstreamServer(context, received, toolRuns);
	}

	String url() {
		return "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port") + "/mcp";
	}

	/** Every request so far, in order. */
	List<Received> received() {
		return List.copyOf(this.received);
	}

	/** How many times the tool itself ran. */
	int toolRuns() {
		return this.toolRuns.get();
	}

	@Override
	public void close() {
		this.context.close();
	}

	/** Records each request before Spring Security sees it, with the status it got. */
	static final class Recorder extends FilterRegistrationBean<Filter> {

		Recorder(List<Received> received) {
			super((request, response, chain) -> {
				try {
					chain.doFilter(request, response);
				}
				finally {
					HttpServletRequest http = (HttpServletRequest) request;
					received.add(new Received(http.getMethod(), http.getHeader("Authorization"),
							http.getHeader(REQUEST_TAG), ((HttpServletResponse) response).getStatus()));
				}
			});
			setOrder(Integer.MIN_VALUE);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Server {

		@Bean
		SecurityFilterChain resourceServer(HttpSecurity http) throws Exception {
			// Bearer tokens only, nothing for a browser: no session, no CSRF token to ask for.
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.csrf((csrf) -> csrf.disable())
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
				.build();
		}

	}

	static final class Tickets {

		private final AtomicInteger runs;

		Tickets(AtomicInteger runs) {
			this.runs = runs;
		}

		@Tool(name = "open_ticket", description = "Open a ticket")
		public String openTicket(String title) {
			this.runs.incrementAndGet();
			return "opened:" + title;
		}

	}

}
