package dev.mcpgovernance.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's decisions, where the MCP clients cannot reach: a resource update is delivered to a
 * session only when its caller subscribed through the gate and may read the resource; anything else
 * (a session the gate never saw, an update naming no URI, a URI the caller may not read, a session
 * forgotten after it closed) is dropped.
 */
class ResourceRequestGateTests {

	private final List<ToolCallEvent> audited = new ArrayList<>();

	private final ResourceRequestGate gate;

	ResourceRequestGateTests() {
		GovernedResourceRegistry registry = new GovernedResourceRegistry(new GovernedResourceRegistrar(), "orders",
				Map.of("orders://{orderId}", "orders:order:read", "secrets://{id}", "orders:secret:read"), Map.of());
		registry.afterSingletonsInstantiated();
		ResourceGovernor governor = new ResourceGovernor(registry, new ToolErrorClassifier(), Exposure.DENY_UNGOVERNED,
				ToolCallLimiter.NONE, null, List.of(this.audited::add), ToolCallObserver.NONE, List.of());
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		this.gate = new ResourceRequestGate(governor, new RequestCallers(
				beans.getBeanProvider(ProcessCallerSource.class), beans.getBeanProvider(CapabilityAuthenticator.class)));
	}

	static CallerIdentity caller(String... scopes) {
		return new CallerIdentity("key-1", "owner-1", null, ScopeSet.parse(List.of(scopes)), null, Transport.HTTP, null);
	}

	JSONRPCResponse subscribe(String sessionId, CallerIdentity caller, String uri) {
		McpTransportContext context = McpTransportContext
			.create(Map.of(CallerIdentityContextExtractor.CONTEXT_KEY, caller));
		return this.gate.refusal(sessionId,
				new JSONRPCRequest("2.0", McpSchema.METHOD_RESOURCES_SUBSCRIBE, 1, Map.of("uri", uri)), context);
	}

	static boolean delivers(ResourceRequestGate gate, String sessionId, String uri) {
		return gate.delivers(sessionId, McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED,
				new ResourcesUpdatedNotification(uri));
	}

	@Test
	void anAllowedSubscriberIsToldOfUpdatesOfWhatItMayRead() {
		assertThat(subscribe("s-1", caller("orders:order:read"), "orders://o-1")).isNull();

		assertThat(delivers(this.gate, "s-1", "orders://o-1")).isTrue();
		// The SDK delivers per URI subscribed; an update of a resource the caller may not read never reaches it.
		assertThat(delivers(this.gate, "s-1", "secrets://x")).isFalse();
		assertThat(delivers(this.gate, "s-1", "unknown://x")).isFalse();
	}

	@Test
	void aSessionTheGateNeverSawSubscribeGetsNoUpdate() {
		assertThat(delivers(this.gate, "never-subscribed", "orders://o-1")).isFalse();
	}

	@Test
	void aRefusedSubscriberIsNotRememberedAndGetsNoUpdate() {
		JSONRPCResponse refusal = subscribe("s-2", caller("inventory:item:read"), "orders://o-1");

		assertThat(refusal.error().code()).isEqualTo(ResourceErrors.REFUSED);
		assertThat(refusal.error().message()).contains("orders:order:read").doesNotContain("o-1");
		assertThat(delivers(this.gate, "s-2", "orders://o-1")).isFalse();
		assertThat(this.audited).singleElement()
			.satisfies((event) -> assertThat(event.toolName()).isEqualTo("resources/subscribe orders://{orderId}"));
	}

	@Test
	void anUpdateNamingNoResourceIsDroppedAndOtherNotificationsPass() {
		subscribe("s-3", caller("orders:order:read"), "orders://o-1");

		assertThat(this.gate.delivers("s-3", McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED, Map.of())).isFalse();
		assertThat(this.gate.delivers("s-3", McpSchema.METHOD_NOTIFICATION_MESSAGE, Map.of())).isTrue();
	}

	@Test
	void aClosedSessionIsForgotten() {
		subscribe("s-4", caller("orders:order:read"), "orders://o-1");
		this.gate.forget("s-4");

		assertThat(delivers(this.gate, "s-4", "orders://o-1")).isFalse();
	}

}
