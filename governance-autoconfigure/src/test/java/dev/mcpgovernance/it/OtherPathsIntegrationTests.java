package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.ApiKeyManager;
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
			assertThat(this.reporter.report().render())
				.contains("other paths: left as they were (the application has no security of its own");
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

}
