package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.ToolExecutionHook;
import dev.mcpgovernance.tool.ToolInvocation;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's {@link ToolExecutionHook} beans, through a real MCP client: one refuses a tool the
 * caller's scopes allow and hides another from {@code tools/list}; a broken one fails closed.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, HooksIntegrationTests.Hooks.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:hooks-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef" })
class HooksIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	private McpSyncClient client() {
		return client("hooks-owner");
	}

	private McpSyncClient client(String owner) {
		String secret = this.apiKeys
			.create(owner, null, ScopeSet.parse(List.of("orders:order:*", "inventory:item:read")), null, null)
			.secret();
		return McpTestClient.streamable(this.port, "X-API-Key", secret);
	}

	@Test
	void hookDeniesAToolTheScopesAllow() {
		try (McpSyncClient client = client()) {
			CallToolResult refused = call(client, "cancel_order", Map.of("orderId", "o-1"));
			CallToolResult allowed = call(client, "get_order", Map.of("orderId", "o-1"));

			assertThat(refused.isError()).isTrue();
			assertThat(error(refused)).containsEntry("error_code", "forbidden")
				.containsEntry("message", "Orders are frozen during the audit.");
			assertThat(allowed.isError()).isFalse();
		}
	}

	@Test
	void hookHidesAToolFromTheListing() {
		try (McpSyncClient client = client()) {
			List<String> names = client.listTools().tools().stream().map(Tool::name).toList();

			assertThat(names).contains("get_order", "cancel_order", "whoami").doesNotContain("count_items");
		}
	}

	@Test
	void brokenHookFailsClosedWithACleanErrorAndTheListingStillArrives() {
		try (McpSyncClient client = client(Hooks.BROKEN_OWNER)) {
			// The answer arrives (within the client's request timeout), with nothing in it.
			assertThat(client.listTools().tools()).isEmpty();

			CallToolResult result = call(client, "get_order", Map.of("orderId", "o-1"));

			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "internal_error");
			assertThat(result.toString()).doesNotContain("jdbc", "hunter2", "IllegalStateException", "AssertionError",
					"o-1");
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Hooks {

		static final String BROKEN_OWNER = "broken-hook-owner";

		// Broken for one owner only: a bug in the application's hook, not in the tools.
		@Bean
		@Order(0)
		ToolExecutionHook brokenForOneOwner() {
			return new ToolExecutionHook() {
				@Override
				public Decision beforeExecute(ToolInvocation invocation) {
					if (BROKEN_OWNER.equals(invocation.caller().ownerId())) {
						throw new IllegalStateException("jdbc:postgresql://db/orders password=hunter2");
					}
					return Decision.proceed();
				}

				@Override
				public List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
					if (BROKEN_OWNER.equals(caller.ownerId())) {
						throw new AssertionError("jdbc:postgresql://db/orders password=hunter2");
					}
					return tools;
				}
			};
		}

		@Bean
		@Order(1)
		ToolExecutionHook auditFreeze() {
			return new ToolExecutionHook() {
				@Override
				public Decision beforeExecute(ToolInvocation invocation) {
					return "cancel_order".equals(invocation.toolName())
							? Decision.deny("Orders are frozen during the audit.") : Decision.proceed();
				}

				@Override
				public List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
					return tools.stream().filter((tool) -> !"count_items".equals(tool.name())).toList();
				}
			};
		}

	}

}
