package dev.mcpgovernance.it;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.adapter.TestUpstream;
import dev.mcpgovernance.adapter.TestUpstream.Mode;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.AdapterTestApplication;
import dev.mcpgovernance.testapp.AdapterTestApplication.RecordingListener;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static dev.mcpgovernance.it.McpTestClient.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools reading through data adapters, called with the MCP Java SDK's client: two real HTTP
 * upstreams behind them, Resilience4j configured with resilience4j.* properties, and the tool-call
 * events (what the audit trail stores) checked for the data source and the cache hit.
 */
@SpringBootTest(classes = AdapterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "spring.datasource.url=jdbc:h2:mem:adapter-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.adapters.recent-failure-window=0s",
				"mcp.governance.cache.namespaces.item.ttl=10m",
				"resilience4j.retry.instances.primary.max-attempts=2",
				"resilience4j.retry.instances.primary.wait-duration=10ms",
				"resilience4j.retry.instances.primary.retry-exception-predicate=dev.mcpgovernance.adapter.TransientFailure",
				"resilience4j.circuitbreaker.instances.primary.minimum-number-of-calls=1000",
				"resilience4j.circuitbreaker.instances.replica.minimum-number-of-calls=1000" })
class AdapterIntegrationTests {

	static final TestUpstream primary = new TestUpstream("primary");

	static final TestUpstream replica = new TestUpstream("replica");

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("test.upstream.primary", primary::baseUrl);
		registry.add("test.upstream.replica", replica::baseUrl);
	}

	@AfterAll
	static void stopUpstreams() {
		primary.close();
		replica.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	RecordingListener events;

	@Autowired
	HealthIndicator mcpGovernanceAdaptersHealthIndicator;

	@Autowired
	MeterRegistry meters;

	McpSyncClient client;

	@BeforeEach
	void connect() {
		String key = this.apiKeys.create("owner", null, ScopeSet.parse(List.of("catalog:*:read")), null, null).secret();
		this.client = McpTestClient.streamable(this.port, "X-API-Key", key);
	}

	@AfterEach
	void reset() {
		this.client.close();
		primary.mode(Mode.OK);
		replica.mode(Mode.OK);
		primary.reset();
		replica.reset();
	}

	/** The item's JSON, as the tool answered it. */
	private static String answer(CallToolResult result) {
		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		return ((TextContent) result.content().get(0)).text();
	}

	@Test
	void theAuditEventNamesTheSourceThatAnsweredAndWhetherTheCacheDid() {
		assertThat(answer(call(this.client, "get_item", Map.of("itemId", "it-1")))).contains("\"source\":\"primary\"");
		ToolCallEvent first = this.events.last();
		assertThat(first.toolName()).isEqualTo("get_item");
		assertThat(first.outcome()).isEqualTo(CallOutcome.OK);
		assertThat(first.dataSource()).isEqualTo("primary");
		assertThat(first.cacheHit()).isFalse();

		assertThat(answer(call(this.client, "get_item", Map.of("itemId", "it-1")))).contains("\"source\":\"primary\"");
		ToolCallEvent second = this.events.last();
		assertThat(second.dataSource()).isEqualTo("primary");
		assertThat(second.cacheHit()).isTrue();
		assertThat(primary.requests()).isEqualTo(1);
	}

	@Test
	void whenThePrimaryFailsTheReplicaAnswersAfterTheConfiguredRetries() {
		primary.mode(Mode.UNAVAILABLE);

		assertThat(answer(call(this.client, "get_item_fresh", Map.of("itemId", "it-2"))))
			.contains("\"source\":\"replica\"");
		assertThat(this.events.last().dataSource()).isEqualTo("replica");
		assertThat(this.events.last().cacheHit()).isFalse();
		// resilience4j.retry.instances.primary.max-attempts=2 applies to the adapter named primary.
		assertThat(primary.requests()).isEqualTo(2);
		assertThat(this.meters.get("mcp.governance.adapter.calls")
			.tags("adapter", "primary", "outcome", "failure")
			.functionCounter()
			.count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void whenEverySourceIsDownTheCallerGetsSourceUnavailableNamingNothingInternal() {
		primary.mode(Mode.UNAVAILABLE);
		replica.stop();
		try {
			CallToolResult result = call(this.client, "get_item_fresh", Map.of("itemId", "it-3"));

			assertThat(result.isError()).isTrue();
			assertThat(error(result)).containsEntry("error_code", "source_unavailable").containsEntry("details", Map.of());
			String text = ((TextContent) result.content().get(0)).text();
			assertThat(text).contains("\"error_code\":\"source_unavailable\"")
				.doesNotContain("primary")
				.doesNotContain("replica")
				.doesNotContain("127.0.0.1")
				.doesNotContain("Exception");
			ToolCallEvent event = this.events.last();
			assertThat(event.outcome()).isEqualTo(CallOutcome.SOURCE_UNAVAILABLE);
			assertThat(event.errorCode()).isEqualTo(ToolErrorCode.SOURCE_UNAVAILABLE);
			assertThat(event.dataSource()).isNull();
		}
		finally {
			replica.start();
		}
	}

	@Test
	void theToolsOwnSourceUnavailableExceptionBecomesSourceUnavailable() {
		CallToolResult result = call(this.client, "get_price", Map.of("itemId", "it-4"));

		assertThat(result.isError()).isTrue();
		assertThat(error(result)).containsEntry("error_code", "source_unavailable");
		assertThat(((TextContent) result.content().get(0)).text()).doesNotContain("pricing.internal")
			.doesNotContain("PricingDown");
		assertThat(this.events.last().outcome()).isEqualTo(CallOutcome.SOURCE_UNAVAILABLE);
	}

	@Test
	void theHealthIndicatorReportsEverySource() {
		call(this.client, "get_item_fresh", Map.of("itemId", "it-5"));

		Health health = this.mcpGovernanceAdaptersHealthIndicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> adapters = (Map<String, Map<String, Object>>) health.getDetails().get("adapters");
		assertThat(adapters).containsOnlyKeys("primary", "replica");
		assertThat(adapters.get("primary")).containsEntry("group", "items")
			.containsEntry("status", "UP")
			.containsEntry("circuitBreaker", "closed")
			.containsEntry("healthCheck", "up");
	}

}
