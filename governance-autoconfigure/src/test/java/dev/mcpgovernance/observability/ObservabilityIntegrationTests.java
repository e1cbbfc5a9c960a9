package dev.mcpgovernance.observability;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.it.McpTestClient;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.modelcontextprotocol.client.McpSyncClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mcpgovernance.it.McpTestClient.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics, traces, health and info of a running governed server, after real calls through the
 * MCP client: the Redis rate-limit store (real Redis) makes the health group's members exist.
 */
@SpringBootTest(classes = { GovernedTestApplication.class, ObservabilityIntegrationTests.HostConfiguration.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:observability-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=" + ObservabilityIntegrationTests.PEPPER,
				"mcp.governance.rate-limit.store=redis", "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=6379", "management.endpoints.web.exposure.include=health,info,metrics",
				"management.endpoint.health.show-details=always" })
class ObservabilityIntegrationTests {

	static final String PEPPER = "integration-test-pepper-0123456789abcdef";

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	MeterRegistry meters;

	@Autowired
	SimpleTracer tracer;

	@Autowired
	List<ToolCallEvent> events;

	@DynamicPropertySource
	static void redisKeyPrefix(DynamicPropertyRegistry registry) {
		// Our own keys on the shared Redis; they expire once their buckets are full again.
		registry.add("mcp.governance.rate-limit.redis.key-prefix", () -> "mcpg-observability:" + UUID.randomUUID() + ":");
	}

	private McpSyncClient client(String owner, String... scopes) {
		String secret = this.apiKeys.create(owner, null, ScopeSet.parse(List.of(scopes)), null, null).secret();
		return McpTestClient.streamable(this.port, "X-API-Key", secret);
	}

	private double timerCount(String tool, String outcome) {
		var timer = Search.in(this.meters)
			.name("mcp.governance.tool.calls")
			.tags("tool", tool, "outcome", outcome)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private double counter(String name, String tool) {
		var counter = Search.in(this.meters).name(name).tag("tool", tool).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void everyCallIsTimedByToolDomainAndOutcomeAndRefusalsAreCounted() {
		try (McpSyncClient client = client("metrics-reader", "orders:order:read", "orders:ping:read")) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-1")).isError()).isFalse();
			assertThat(call(client, "cancel_order", Map.of("orderId", "o-1")).isError()).isTrue();
			assertThat(call(client, "get_order", Map.of("orderId", "bad-1")).isError()).isTrue();
			for (int i = 0; i < 3; i++) {
				call(client, "limited_ping", Map.of());
			}
		}

		assertThat(this.meters.get("mcp.governance.tool.calls")
			.tags("tool", "get_order", "domain", "orders", "outcome", "ok", "error_code", "none")
			.timer()
			.count()).isGreaterThanOrEqualTo(1);
		assertThat(timerCount("cancel_order", "denied")).isGreaterThanOrEqualTo(1);
		assertThat(timerCount("get_order", "invalid_input")).isGreaterThanOrEqualTo(1);
		assertThat(timerCount("limited_ping", "rate_limited")).isGreaterThanOrEqualTo(1);
		assertThat(this.meters.get("mcp.governance.tool.denials")
			.tags("tool", "cancel_order", "error_code", "forbidden")
			.counter()
			.count()).isGreaterThanOrEqualTo(1);
		assertThat(counter("mcp.governance.tool.rate-limited", "limited_ping")).isGreaterThanOrEqualTo(1);
		assertThat(this.meters.get("mcp.governance.tool.errors")
			.tags("tool", "get_order", "error_code", "invalid_input")
			.counter()
			.count()).isGreaterThanOrEqualTo(1);
		// Running calls are counted by what is known while they run: no outcome yet.
		assertThat(Search.in(this.meters).name("mcp.governance.tool.calls.active").longTaskTimers())
			.isNotEmpty()
			.allSatisfy((running) -> assertThat(running.getId().getTags()).extracting(Tag::getKey)
				.containsExactlyInAnyOrder("tool", "domain"));
		// Low cardinality: who called is never a tag.
		assertThat(Search.in(this.meters).name((name) -> name.startsWith("mcp.governance.tool")).meters())
			.allSatisfy((meter) -> assertThat(meter.getId().getTags())
				.noneMatch((tag) -> tag.getValue().contains("metrics-reader") || tag.getValue().startsWith("key_")));
	}

	@Test
	void theCallRunsInASpanWhoseIdsReachTheToolCallEvent() {
		try (McpSyncClient client = client("trace-reader", "orders:order:read")) {
			assertThat(call(client, "get_order", Map.of("orderId", "o-traced")).isError()).isFalse();
		}
		ToolCallEvent event = this.events.stream()
			.filter((candidate) -> candidate.caller() != null && "trace-reader".equals(candidate.caller().ownerId()))
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(event.outcome()).isEqualTo(CallOutcome.OK);
		assertThat(event.traceId()).isNotBlank();
		SimpleSpan span = this.tracer.getSpans()
			.stream()
			.filter((candidate) -> event.spanId().equals(candidate.context().spanId()))
			.findFirst()
			.orElseThrow();
		assertThat(span.getName()).isEqualTo("tools/call get_order");
		assertThat(span.context().traceId()).isEqualTo(event.traceId());
		assertThat(span.getTags()).containsEntry("outcome", "ok")
			.containsEntry("tool", "get_order")
			.containsEntry("mcp.governance.request_id", event.requestId());
		assertThat(span.getTags().values()).noneMatch((value) -> value.contains("trace-reader"));
	}

	@Test
	void healthGroupHoldsTheStartersContributorsOnly() throws Exception {
		var response = McpTestClient.get(this.port, "/actuator/health/mcp-governance");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = JSON.readTree(response.body());
		assertThat(health.get("status").asString()).isEqualTo("UP");
		// The OpenAPI connectors' contributor joined the group with issue 24 (each concern declares its own member).
		assertThat(health.get("components").propertyNames()).containsExactlyInAnyOrder("rateLimitStore", "redis",
				"mcpGovernanceAudit", "mcpGovernanceAdapters", "mcpGovernanceUpstreams", "openApiConnectors");
		assertThat(health.at("/components/rateLimitStore/details/store").asString()).isEqualTo("redis");
	}

	@Test
	void infoDescribesToolsScopesAndStoresWithoutSecrets() throws Exception {
		var response = McpTestClient.get(this.port, "/actuator/info");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode info = JSON.readTree(response.body()).get("mcp-governance");
		assertThat(info.get("transport").asString()).isEqualTo("streamable");
		assertThat(info.at("/stores/rate-limit").asString()).isEqualTo("redis");
		assertThat(info.at("/stores/api-keys").asString()).isEqualTo("jdbc");
		assertThat(info.at("/stores/audit").asString()).isEqualTo("jdbc");
		assertThat(info.get("authentication").toString()).contains("api-key");
		JsonNode getOrder = null;
		for (JsonNode tool : info.get("tools")) {
			if (tool.get("name").asString().equals("get_order")) {
				getOrder = tool;
			}
		}
		assertThat(getOrder).isNotNull();
		assertThat(getOrder.get("scope").asString()).isEqualTo("orders:order:read");
		assertThat(getOrder.get("audit").asBoolean()).isTrue();
		assertThat(info.get("scopes").toString()).contains("orders:order:cancel", "inventory:");
		assertThat(response.body()).doesNotContain(PEPPER).doesNotContain("sk_");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class HostConfiguration {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		DefaultTracingObservationHandler tracingObservationHandler(SimpleTracer tracer) {
			return new DefaultTracingObservationHandler(tracer);
		}

		@Bean
		List<ToolCallEvent> toolCallEvents() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		ToolCallListener recordingListener(List<ToolCallEvent> toolCallEvents) {
			return toolCallEvents::add;
		}

		/** The host opens its Actuator endpoints; the starter's chains never cover them. */
		@Bean
		SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
			return http.securityMatcher("/actuator/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.build();
		}

	}

}
