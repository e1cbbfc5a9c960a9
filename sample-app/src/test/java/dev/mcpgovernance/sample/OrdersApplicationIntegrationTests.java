package dev.mcpgovernance.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the README shows, checked against the running sample with a real MCP client: 401 without a
 * key, the order tools for the reader key, cancel refused for it and allowed for the admin key; the
 * order resource and prompt for the reader key, refused to the clerk key.
 */
class OrdersApplicationIntegrationTests {

	/** The demo keys of sample-app/README.md. */
	static final String READER_KEY = "sk_fwSJtD7fpOaxWsIRmJLc-x4MpOWVgLFHQmqv_36GNb0";

	static final String ADMIN_KEY = "sk_TNAFzjky0auiTmTXGyK3SR5E-qzvKI3dePSKIibtAsE";

	static final String CLERK_KEY = "sk_TKsdjfBAqZY7vANnpecKzPoMDgo84waN4W2pm4EHLyU";

	static McpSyncClient client(int port, String key) {
		McpSyncClient client = McpClient
			.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
				.endpoint("/mcp")
				.httpRequestCustomizer((request, method, endpoint, body, context) -> request.header("Authorization", "Bearer " + key))
				.build())
			.build();
		client.initialize();
		return client;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> error(CallToolResult result) {
		assertThat(result.isError()).isTrue();
		return (Map<String, Object>) result.structuredContent();
	}

	static void showsTheReadmeScenario(int port) throws Exception {
		HttpResponse<String> anonymous = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow())
			.isEqualTo("Bearer resource_metadata=\"http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource\", "
					+ "scope=\"orders:order:cancel orders:order:create orders:order:read\"");

		try (McpSyncClient reader = client(port, READER_KEY); McpSyncClient admin = client(port, ADMIN_KEY)) {
			// Each caller is shown the tools its scopes allow.
			assertThat(reader.listTools().tools()).extracting(Tool::name)
				.containsExactlyInAnyOrder("get_order", "list_orders");
			Map<String, Tool> tools = admin.listTools()
				.tools()
				.stream()
				.collect(Collectors.toMap(Tool::name, Function.identity()));
			assertThat(tools).containsOnlyKeys("get_order", "list_orders", "create_order", "cancel_order");
			assertThat(tools.get("cancel_order").annotations().destructiveHint()).isTrue();
			assertThat(tools.get("create_order").annotations().destructiveHint()).isTrue();
			assertThat(tools.get("get_order").annotations().destructiveHint()).isFalse();
			assertThat(tools.get("list_orders").annotations().readOnlyHint()).isTrue();

			assertThat(reader.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001"))).isError())
				.isFalse();
			assertThat(error(reader.callTool(new CallToolRequest("cancel_order", Map.of("orderId", "ord_1002")))))
				.containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "orders:order:cancel"));
			assertThat(error(reader.callTool(new CallToolRequest("list_orders", Map.of("status", "lost")))))
				.containsEntry("error_code", "invalid_input");

			assertThat(admin.callTool(new CallToolRequest("cancel_order", Map.of("orderId", "ord_1002"))).isError())
				.isFalse();
			assertThat(error(admin.callTool(new CallToolRequest("cancel_order", Map.of("orderId", "ord_1002")))))
				.containsEntry("error_code", "invalid_input");
		}

		// The README's audit trail: the admin key reads the reader's calls; the reader may not.
		String readersTrail = "/mcp-governance/admin/audit?owner=demo-reader";
		assertThat(adminGet(port, readersTrail, READER_KEY).statusCode()).isEqualTo(403);
		Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			String trail = adminGet(port, readersTrail, ADMIN_KEY).body();
			assertThat(trail).contains("\"tool\":\"get_order\"", "\"outcome\":\"ok\"")
				.contains("\"tool\":\"cancel_order\"", "\"outcome\":\"denied\"")
				.contains("\"outcome\":\"invalid_input\"")
				.doesNotContain("ord_1001", "lost");
		});
		assertThat(adminGet(port, "/mcp-governance/admin/audit/verify", ADMIN_KEY).body()).contains("\"breaks\":[]");
	}

	/** The README's resource and prompt: the reader key reads the order; the clerk key, without the scope, is refused. */
	static void showsTheResourceScenario(int port) {
		try (McpSyncClient reader = client(port, READER_KEY); McpSyncClient clerk = client(port, CLERK_KEY)) {
			assertThat(reader.listResourceTemplates().resourceTemplates()).extracting(ResourceTemplate::uriTemplate)
				.containsExactly("orders://{orderId}");
			assertThat(reader.listPrompts().prompts()).extracting(Prompt::name).containsExactly("summarize_order");
			ReadResourceResult order = reader.readResource(new ReadResourceRequest("orders://ord_1001"));
			assertThat(((TextResourceContents) order.contents().get(0)).text()).contains("\"id\":\"ord_1001\"");
			assertThat(reader.getPrompt(new GetPromptRequest("summarize_order", Map.of("orderId", "ord_1001")))
				.messages()).hasSize(2);
			assertThat(reader
				.completeCompletion(new CompleteRequest(new ResourceReference("orders://{orderId}"),
						new CompleteRequest.CompleteArgument("orderId", "ord_100")))
				.completion()
				.values()).contains("ord_1001");

			assertThat(clerk.listResourceTemplates().resourceTemplates()).isEmpty();
			assertThat(clerk.listPrompts().prompts()).isEmpty();
			assertThatThrownBy(() -> clerk.readResource(new ReadResourceRequest("orders://ord_1001")))
				.isInstanceOfSatisfying(McpError.class, (refusal) -> {
					assertThat(refusal.getJsonRpcError().code()).isEqualTo(-32003);
					assertThat(refusal.getJsonRpcError().message()).contains("requires scope orders:order:read");
				});
		}
		Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			String trail = adminGet(port, "/mcp-governance/admin/audit?owner=demo-clerk", ADMIN_KEY).body();
			assertThat(trail).contains("\"tool\":\"resources/read orders://{orderId}\"", "\"outcome\":\"denied\"")
				.doesNotContain("ord_1001");
		});
	}

	static HttpResponse<String> adminGet(int port, String path, String key) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", key).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Nested
	@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class OnTheEmbeddedDefault {

		@LocalServerPort
		int port;

		@Test
		void readmeScenario() throws Exception {
			showsTheReadmeScenario(this.port);
		}

		@Test
		void readmeResourceScenario() {
			showsTheResourceScenario(this.port);
		}

	}

	static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

	static final String SCHEMA = "sample_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@AfterAll
	static void dropSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
	}

	@Nested
	@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	@ActiveProfiles("postgres")
	class OnThePostgresProfile {

		@LocalServerPort
		int port;

		/** The profile's own settings, with a schema of the test's own so runs never share data. */
		@DynamicPropertySource
		static void schema(DynamicPropertyRegistry registry) throws SQLException {
			try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "")) {
				connection.createStatement().execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
			}
			registry.add("spring.datasource.url", () -> POSTGRES + "?currentSchema=" + SCHEMA);
		}

		@Test
		void readmeScenario() throws Exception {
			showsTheReadmeScenario(this.port);
		}

	}

}
