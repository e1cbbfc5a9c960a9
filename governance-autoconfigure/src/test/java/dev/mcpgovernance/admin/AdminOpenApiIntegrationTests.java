package dev.mcpgovernance.admin;

import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * springdoc's OpenAPI document of the admin API: the starter neither opens nor closes
 * {@code /v3/api-docs} (it answers as the host's own security, or its absence, says); where it is
 * readable it lists every admin operation with its security requirement.
 */
class AdminOpenApiIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String PEPPER = "integration-test-pepper-0123456789abcdef";

	/** A host whose own chain lets anyone read the API documentation. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(GovernedTestApplication.class)
	static class HostPermittingApiDocs {

		@Bean
		SecurityFilterChain apiDocsChain(HttpSecurity http) throws Exception {
			return http.securityMatcher("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.build();
		}

	}

	@Nested
	@SpringBootTest(classes = HostPermittingApiDocs.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.admin.enabled=true",
					"mcp.governance.api-keys.pepper=" + PEPPER })
	class WhenTheHostPermitsIt {

		@LocalServerPort
		int port;

		@Test
		void listsEveryAdminOperationWithItsSecurityRequirement() throws Exception {
			HttpResponse<String> response = McpTestClient.get(this.port, "/v3/api-docs");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode api = JSON.readTree(response.body());
			JsonNode paths = api.get("paths");
			assertThat(paths.get("/mcp-governance/admin/api-keys").propertyNames())
				.containsExactlyInAnyOrder("get", "post");
			assertThat(paths.get("/mcp-governance/admin/api-keys/{id}/rotate").has("post")).isTrue();
			assertThat(paths.get("/mcp-governance/admin/api-keys/{id}").has("delete")).isTrue();
			for (JsonNode operation : new JsonNode[] { paths.at("/~1mcp-governance~1admin~1api-keys/get"),
					paths.at("/~1mcp-governance~1admin~1api-keys/post"),
					paths.at("/~1mcp-governance~1admin~1api-keys~1{id}~1rotate/post"),
					paths.at("/~1mcp-governance~1admin~1api-keys~1{id}/delete") }) {
				assertThat(operation.get("security").toString()).contains("mcpGovernanceApiKey", "mcpGovernanceBearer");
				assertThat(operation.get("responses").has("401")).isTrue();
				assertThat(operation.get("description").asString()).contains("governance:admin:");
			}
			assertThat(api.at("/components/securitySchemes/mcpGovernanceApiKey/name").asString()).isEqualTo("X-API-Key");
			assertThat(api.at("/components/securitySchemes/mcpGovernanceBearer/scheme").asString()).isEqualTo("bearer");
			assertThat(paths.at("/~1mcp-governance~1admin~1api-keys/post/responses/201").toString()).contains("sk_",
					"orders:order:read");
			// The caller identity is injected, never a request parameter.
			assertThat(paths.at("/~1mcp-governance~1admin~1api-keys/post").has("parameters")).isFalse();
			// The MCP endpoint is not a REST operation to document.
			assertThat(paths.has("/mcp")).isFalse();
		}

		@Test
		void theAdminApiItselfStillNeedsTheAdminScope() throws Exception {
			assertThat(McpTestClient.get(this.port, "/mcp-governance/admin/api-keys").statusCode()).isEqualTo(401);
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.admin.enabled=true",
					"mcp.governance.api-keys.pepper=" + PEPPER })
	class WhenTheHostHasNoSecurityOfItsOwn {

		@LocalServerPort
		int port;

		@Test
		void theDocumentationAnswersAsItWouldWithoutTheStarter() throws Exception {
			assertThat(McpTestClient.get(this.port, "/v3/api-docs").statusCode()).isEqualTo(200);
		}

		@Test
		void theAdminApiItselfStillNeedsTheAdminScope() throws Exception {
			assertThat(McpTestClient.get(this.port, "/mcp-governance/admin/api-keys").statusCode()).isEqualTo(401);
		}

	}

	@Nested
	@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.governance.admin.enabled=true",
					"mcp.governance.api-keys.pepper=" + PEPPER, "mcp.governance.security.leave-other-paths=false" })
	class WhenTheHostKeepsSpringBootsDefaultChain {

		@LocalServerPort
		int port;

		@Test
		void theStarterDoesNotOpenTheDocumentation() throws Exception {
			assertThat(McpTestClient.get(this.port, "/v3/api-docs").statusCode()).isEqualTo(401);
			assertThat(McpTestClient.get(this.port, "/swagger-ui/index.html").statusCode()).isEqualTo(401);
		}

	}

}
