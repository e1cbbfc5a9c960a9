package dev.mcpgovernance.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static dev.mcpgovernance.sample.OrdersApplicationIntegrationTests.ADMIN_KEY;
import static dev.mcpgovernance.sample.OrdersApplicationIntegrationTests.READER_KEY;
import static dev.mcpgovernance.sample.OrdersApplicationIntegrationTests.client;
import static dev.mcpgovernance.sample.OrdersApplicationIntegrationTests.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's failover demo, with a real MCP client: reads come from the database, from the
 * replica while the database is down, and end with source_unavailable when both are.
 */
class OrdersFailoverIntegrationTests {

	/** Every finished tool call, as the audit trail sees it. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Events {

		@Bean
		RecordedCalls recordedCalls() {
			return new RecordedCalls();
		}

	}

	static class RecordedCalls implements ToolCallListener {

		final List<ToolCallEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onToolCall(ToolCallEvent event) {
			this.events.add(event);
		}

		ToolCallEvent last() {
			return this.events.get(this.events.size() - 1);
		}

	}

	static String text(CallToolResult result) {
		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		return ((TextContent) result.content().get(0)).text();
	}

	@Nested
	@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "spring.datasource.url=jdbc:h2:mem:failover-up;DB_CLOSE_DELAY=-1")
	@Import(Events.class)
	class WithTheDatabaseUp {

		@LocalServerPort
		int port;

		@Autowired
		RecordedCalls calls;

		@Test
		void theDatabaseAnswersAndListsAreCachedBriefly() {
			try (McpSyncClient reader = client(this.port, READER_KEY)) {
				assertThat(text(reader.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001")))))
					.contains("Mechanical keyboard");
				assertThat(this.calls.last().dataSource()).isEqualTo("orders-db");

				text(reader.callTool(new CallToolRequest("list_orders", Map.of("status", "open"))));
				assertThat(this.calls.last().cacheHit()).isFalse();
				text(reader.callTool(new CallToolRequest("list_orders", Map.of("status", "open"))));
				assertThat(this.calls.last().dataSource()).isEqualTo("orders-db");
				assertThat(this.calls.last().cacheHit()).isTrue();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.datasource.url=jdbc:h2:mem:failover-down;DB_CLOSE_DELAY=-1",
					"sample.orders-db.simulate-outage=true" })
	@Import(Events.class)
	class WithTheDatabaseDown {

		@LocalServerPort
		int port;

		@Autowired
		RecordedCalls calls;

		@Test
		void theReplicaAnswersReadsAndWritesStillGoToTheDatabase() {
			try (McpSyncClient reader = client(this.port, READER_KEY); McpSyncClient admin = client(this.port, ADMIN_KEY)) {
				assertThat(text(reader.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1002")))))
					.contains("USB-C dock");
				assertThat(this.calls.last().dataSource()).isEqualTo("orders-replica");
				assertThat(text(reader.callTool(new CallToolRequest("list_orders", Map.of())))).contains("ord_1003");
				assertThat(this.calls.last().dataSource()).isEqualTo("orders-replica");
				assertThat(error(reader.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_none")))))
					.containsEntry("error_code", "invalid_input");

				assertThat(admin.callTool(new CallToolRequest("cancel_order", Map.of("orderId", "ord_1001"))).isError())
					.isFalse();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "spring.datasource.url=jdbc:h2:mem:failover-all-down;DB_CLOSE_DELAY=-1",
					"sample.orders-db.simulate-outage=true", "sample.orders-replica.enabled=false" })
	@Import(Events.class)
	class WithEverySourceDown {

		@LocalServerPort
		int port;

		@Test
		void readsEndWithSourceUnavailable() {
			try (McpSyncClient reader = client(this.port, READER_KEY)) {
				CallToolResult result = reader.callTool(new CallToolRequest("get_order", Map.of("orderId", "ord_1001")));
				assertThat(error(result)).containsEntry("error_code", "source_unavailable");
				assertThat(((TextContent) result.content().get(0)).text()).doesNotContain("orders-db")
					.doesNotContain("Simulated");
			}
		}

	}

}
