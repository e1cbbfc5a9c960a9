package dev.mcpgovernance.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.McpGovernanceConfigurer;
import dev.mcpgovernance.testapp.InventoryTools;
import dev.mcpgovernance.testapp.OrderTestTools;
import io.modelcontextprotocol.client.McpSyncClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/** A host application with security of its own: the starter must govern /mcp and leave the rest alone. */
class HostSecurityChainIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	static HttpResponse<String> getHello(int port, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello"));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	@RestController
	static class HelloController {

		@GetMapping("/api/hello")
		String hello() {
			return "hello";
		}

	}

	/** A host endpoint that forwards to the MCP endpoint: the forward must not get around the governance. */
	@RestController
	static class ForwardingController {

		@PostMapping("/api/forward-to-mcp")
		void forward(HttpServletRequest request, HttpServletResponse response) throws Exception {
			request.getRequestDispatcher("/mcp").forward(request, response);
		}

	}

	/** The host's own users: HTTP Basic, one user. */
	static InMemoryUserDetailsManager hostUsers() {
		return new InMemoryUserDetailsManager(User.withUsername("host-user").password("{noop}host-secret").roles("USER").build());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HelloController.class, ForwardingController.class, InventoryTools.class, OrderTestTools.class })
	static class HostWithOwnChain {

		@Bean
		SecurityFilterChain hostChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("USER"))
				.httpBasic(Customizer.withDefaults())
				// The forwarding endpoint is called by a script, not a browser form.
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/forward-to-mcp"))
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return hostUsers();
		}

		@Bean
		ToolCallbackProvider inventoryToolCallbacks(InventoryTools tools) {
			return MethodToolCallbackProvider.builder().toolObjects(tools).build();
		}

	}

	@Nested
	@SpringBootTest(classes = HostWithOwnChain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class WithTheStartersOwnChain {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void hostEndpointsKeepTheHostsRules() throws Exception {
			HttpResponse<String> anonymous = getHello(this.port, null);
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic");
			assertThat(getHello(this.port, basic("host-user", "host-secret")).body()).isEqualTo("hello");
		}

		@Test
		void anApiKeyOpensNothingOutsideTheMcpEndpoints() throws Exception {
			String key = this.apiKeys.create("mallory", null, ScopeSet.parse(List.of("orders:*:*")), null, null).secret();
			assertThat(getHello(this.port, "Bearer " + key).statusCode()).isEqualTo(401);
		}

		@Test
		void hostCredentialsOpenNothingOnTheMcpEndpoints() throws Exception {
			var response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "Authorization",
					basic("host-user", "host-secret"));
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer resource_metadata=");
		}

		@Test
		void aHostUserForwardedToTheMcpEndpointIsRefusedThere() throws Exception {
			var forwarded = McpTestClient.post(this.port, "/api/forward-to-mcp", McpTestClient.initializeBody(),
					"Authorization", basic("host-user", "host-secret"));
			assertThat(forwarded.statusCode()).isEqualTo(401);
			assertThat(forwarded.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer resource_metadata=");
			assertThat(forwarded.headers().firstValue("Mcp-Session-Id")).isEmpty();
		}

		@Test
		void mcpEndpointIsGovernedByTheStarter() {
			String key = this.apiKeys.create("gina", null, ScopeSet.parse(List.of("orders:*:read")), null, null).secret();
			try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
				assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
				assertThat(call(client, "cancel_order", Map.of("orderId", "o-1")).isError()).isTrue();
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HelloController.class, InventoryTools.class, OrderTestTools.class })
	static class HostComposingTheConfigurer {

		/** One chain for everything, with the MCP Governance rules composed in. */
		@Bean
		SecurityFilterChain hostChain(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/mcp", "/mcp/**")
					.permitAll()
					.anyRequest()
					.hasRole("USER"))
				.httpBasic(Customizer.withDefaults())
				.with(McpGovernanceConfigurer.mcpGovernance(), Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return hostUsers();
		}

	}

	@Nested
	@SpringBootTest(classes = HostComposingTheConfigurer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.security.chain=false",
					"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
	class WithTheConfigurerInTheHostsChain {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Test
		void mcpEndpointRefusesUnauthenticatedCallersEvenWhereTheHostPermitsAll() throws Exception {
			var response = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody());
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer resource_metadata=");
			var evil = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody(), "Origin", "http://evil.example");
			assertThat(evil.statusCode()).isEqualTo(403);
		}

		@Test
		void apiKeyCallersAreGovernedAndHostRulesStillApply() throws Exception {
			String key = this.apiKeys.create("hank", null, ScopeSet.parse(List.of("orders:*:read")), null, null).secret();
			try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
				assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			}
			assertThat(getHello(this.port, null).statusCode()).isEqualTo(401);
			assertThat(getHello(this.port, basic("host-user", "host-secret")).statusCode()).isEqualTo(200);
		}

	}

}
