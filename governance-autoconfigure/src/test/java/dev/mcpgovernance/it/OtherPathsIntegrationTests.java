package dev.mcpgovernance.it;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.lint.GovernanceReporter;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.security.GovernanceOtherPathsAutoConfiguration;
import dev.mcpgovernance.testapp.InventoryTools;
import dev.mcpgovernance.testapp.OrderTestTools;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with no security of its own: adding the starter governs /mcp and changes nothing on
 * its other paths (its own endpoint, Actuator), which Spring Boot's default chain would otherwise
 * put behind a login. Applications that show security of their own keep Spring Boot's behaviour.
 */
class OtherPathsIntegrationTests {

	private static final String PEPPER = "integration-test-pepper-0123456789abcdef";

	@RestController
	static class HelloController {

		@GetMapping("/api/hello")
		String hello() {
			return "hello";
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ HelloController.class, InventoryTools.class, OrderTestTools.class })
	static class HostWithoutSecurity {

	}

	@Nested
	@SpringBootTest(classes = HostWithoutSecurity.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.api-keys.pepper=" + PEPPER,
					"management.endpoints.web.exposure.include=health,info,metrics" })
	class WhenTheApplicationHasNoSecurityOfItsOwn {

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		GovernanceReporter reporter;

		@Test
		void itsOwnPathsAnswerAsWithoutTheStarter() throws Exception {
			var hello = McpTestClient.get(this.port, "/api/hello");
			assertThat(hello.statusCode()).isEqualTo(200);
			assertThat(hello.body()).isEqualTo("hello");
			assertThat(hello.headers().firstValue("WWW-Authenticate")).isEmpty();
			// No security headers or session either: the chain for these paths has no filters.
			assertThat(hello.headers().firstValue("X-Frame-Options")).isEmpty();
			assertThat(hello.headers().firstValue("Set-Cookie")).isEmpty();
		}

		@Test
		void actuatorEndpointsStayReachableAsBootDocumentsThem() throws Exception {
			assertThat(McpTestClient.get(this.port, "/actuator/health").statusCode()).isEqualTo(200);
			assertThat(McpTestClient.get(this.port, "/actuator/info").statusCode()).isEqualTo(200);
			assertThat(McpTestClient.get(this.port, "/actuator/metrics").statusCode()).isEqualTo(200);
		}

		@Test
		void theMcpEndpointIsStillGoverned() throws Exception {
			var anonymous = McpTestClient.post(this.port, "/mcp", McpTestClient.initializeBody());
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow())
				.startsWith("Bearer resource_metadata=");
			String key = this.apiKeys.create("olga", null, ScopeSet.parse(List.of("orders:*:read")), null, null)
				.secret();
			try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
				assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
				assertThat(call(client, "cancel_order", Map.of("orderId", "o-1")).isError()).isTrue();
			}
		}

		@Test
		void theStartUpReportSaysSo() {
			// On this test class path H2 is present, so the embedded database holds the audit trail.
			assertThat(this.reporter.report().stores()).containsEntry("audit", "jdbc");
			assertThat(this.reporter.report().render())
				.contains("other paths: left as they were (the application has no security of its own");
		}

		@Test
		void healthIsUp() throws Exception {
			var health = McpTestClient.get(this.port, "/actuator/health");
			assertThat(health.body()).contains("\"status\":\"UP\"");
		}

	}

	@Nested
	@SpringBootTest(classes = HostWithoutSecurity.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.api-keys.pepper=" + PEPPER,
					"mcp.governance.security.leave-other-paths=false" })
	class WhenTheApplicationAsksForSpringBootsDefaultChain {

		@LocalServerPort
		int port;

		@Autowired
		ApplicationContext context;

		@Test
		void itsOtherPathsNeedALogin() throws Exception {
			assertThat(this.context.containsBean(GovernanceOtherPathsAutoConfiguration.CHAIN_NAME)).isFalse();
			assertThat(McpTestClient.get(this.port, "/api/hello").statusCode()).isEqualTo(401);
		}

	}

	@Nested
	@SpringBootTest(classes = HostWithoutSecurity.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.api-keys.pepper=" + PEPPER,
					"spring.security.user.name=operator", "spring.security.user.password=operator-secret" })
	class WhenTheApplicationConfiguresSpringBootsUser {

		@LocalServerPort
		int port;

		@Test
		void springBootsDefaultChainKeepsProtectingItsPaths() throws Exception {
			assertThat(McpTestClient.get(this.port, "/api/hello").statusCode()).isEqualTo(401);
			assertThat(McpTestClient.get(this.port, "/api/hello", "Authorization",
					HostSecurityChainIntegrationTests.basic("operator", "operator-secret"))
				.body()).isEqualTo("hello");
		}

	}

	/** The same host with the durable and shared stores: PostgreSQL for audit and keys, Redis for limits. */
	@Nested
	@SpringBootTest(classes = HostWithoutSecurity.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.api-keys.pepper=" + PEPPER,
					"spring.datasource.username=postgres", "mcp.governance.rate-limit.store=redis",
					"mcp.governance.rate-limit.redis.key-prefix=mcpg-other-paths:" })
	class WithPostgresAndRedis {

		/** A schema of its own on the shared database, so that no other test sees these tables. */
		@DynamicPropertySource
		static void ownSchema(DynamicPropertyRegistry registry) throws Exception {
			String schema = "mcpg_other_paths_" + Long.toHexString(System.nanoTime());
			try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
					"")) {
				connection.createStatement().execute("CREATE SCHEMA " + schema);
			}
			registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema);
		}

		@LocalServerPort
		int port;

		@Autowired
		ApiKeyManager apiKeys;

		@Autowired
		GovernanceReporter reporter;

		@Test
		void startsGovernsAndLeavesTheOtherPathsAlone() throws Exception {
			assertThat(this.reporter.report().stores()).containsEntry("audit", "jdbc").containsEntry("rate-limit", "redis");
			assertThat(McpTestClient.get(this.port, "/api/hello").statusCode()).isEqualTo(200);
			// Health asks PostgreSQL and Redis; the first time it may take longer than a page.
			var health = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health"))
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"");
			String key = this.apiKeys.create("petra", null, ScopeSet.parse(List.of("orders:*:read")), null, null)
				.secret();
			try (McpSyncClient client = McpTestClient.streamable(this.port, "X-API-Key", key)) {
				assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			}
		}

	}

}
