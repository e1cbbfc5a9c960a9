package dev.mcpgovernance.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample launched as a subprocess over STDIO by the MCP Java SDK's stdio client, as a
 * local MCP client would: the caller is the API key in the environment, and without one every
 * governed tool is refused. Standard output must carry nothing but JSON-RPC, or the client fails.
 */
class OrdersStdioIT {

	static McpSyncClient launch(String apiKey, List<String> stderr) {
		ServerParameters.Builder server = ServerParameters.builder("java")
			.args("-jar", System.getProperty("sample.jar"), "--spring.ai.mcp.server.stdio=true",
					"--spring.main.web-application-type=none",
					"--spring.datasource.url=jdbc:h2:mem:stdio;DB_CLOSE_DELAY=-1", "--sample.orders-replica.port=0");
		if (apiKey != null) {
			server.addEnvVar("MCP_GOVERNANCE_API_KEY", apiKey);
		}
		StdioClientTransport transport = new StdioClientTransport(server.build(), McpJsonDefaults.getMapper());
		transport.setStdErrorHandler(stderr::add);
		// The JVM starts inside the initialization: on a busy shared machine that takes longer than the SDK's 20 s.
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(60))
			.initializationTimeout(Duration.ofSeconds(60))
			.build();
		try {
			client.initialize();
		}
		catch (RuntimeException ex) {
			stop(client);
			throw ex;
		}
		return client;
	}

	/**
	 * Ends the server process and waits for it (up to 10 s). {@code close()} only starts that
	 * asynchronously, so the last test's server outlived the test JVM and kept running.
	 */
	static void stop(McpSyncClient client) {
		client.closeGracefully();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> error(CallToolResult result) {
		assertThat(result.isError()).isTrue();
		return (Map<String, Object>) result.structuredContent();
	}

	@Test
	void theKeyInTheEnvironmentIsTheCaller() {
		List<String> stderr = new ArrayList<>();
		McpSyncClient client = launch(OrdersApplicationIntegrationTests.READER_KEY, stderr);
		try {
			// The process's caller (an orders reader) is shown only the tools it may call.
			assertThat(client.listTools().tools()).extracting(Tool::name)
				.containsExactlyInAnyOrder("get_order", "list_orders");
			assertThat(client.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001"))).isError())
				.isFalse();
			assertThat(error(client.callTool(new CallToolRequest("cancel_order", Map.of("orderId", "ord_1001")))))
				.containsEntry("error_code", "forbidden")
				.containsEntry("details", Map.of("required_scope", "orders:order:cancel"));
		}
		finally {
			stop(client);
		}
	}

	@Test
	void withoutAKeyEveryGovernedToolIsRefused() {
		List<String> stderr = new ArrayList<>();
		McpSyncClient client = launch(null, stderr);
		try {
			assertThat(error(client.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001")))))
				.containsEntry("error_code", "unauthenticated");
		}
		finally {
			stop(client);
		}
	}

	@Test
	void anUnknownKeyIsNoCaller() {
		List<String> stderr = new ArrayList<>();
		McpSyncClient client = launch("sk_" + "B".repeat(43), stderr);
		try {
			assertThat(error(client.callTool(new CallToolRequest("list_orders", Map.of()))))
				.containsEntry("error_code", "unauthenticated");
		}
		finally {
			stop(client);
		}
	}

}
