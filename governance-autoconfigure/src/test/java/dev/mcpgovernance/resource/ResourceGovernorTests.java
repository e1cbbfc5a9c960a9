package dev.mcpgovernance.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import dev.mcpgovernance.tool.ToolExecutionHook;
import dev.mcpgovernance.tool.ToolInvocation;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The read decision where a client cannot steer it: a denying or failing hook, a failing handler
 * whose message must not reach the caller, no verified caller, and {@code allow-ungoverned}; each
 * request reported once, with the variables' values nowhere but in the event's arguments.
 */
class ResourceGovernorTests {

	private final List<ToolCallEvent> events = new ArrayList<>();

	private final List<ToolError> hookErrors = new ArrayList<>();

	ResourceGovernor governor(Exposure exposure, ToolExecutionHook... hooks) {
		GovernedResourceRegistry registry = new GovernedResourceRegistry(new GovernedResourceRegistrar(), "orders",
				Map.of("orders://{orderId}", "orders:order:read"), Map.of());
		registry.afterSingletonsInstantiated();
		return new ResourceGovernor(registry, new ToolErrorClassifier(), exposure, ToolCallLimiter.NONE,
				Redactor.withDefaults(), List.of(this.events::add), ToolCallObserver.NONE, List.of(hooks));
	}

	static AuthenticationOutcome reader() {
		return new AuthenticationOutcome.Authenticated(new CallerIdentity("key-1", "owner-1", null,
				ScopeSet.parse(List.of("orders:order:read")), null, Transport.HTTP, null));
	}

	static ReadResourceResult contents(String text) {
		return new ReadResourceResult(List.of(new TextResourceContents("orders://o-1", "application/json", text)));
	}

	@Test
	void aDenyingHookRefusesBeforeTheHandlerAndHearsOfTheError() {
		AtomicBoolean ran = new AtomicBoolean();
		ToolExecutionHook freeze = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				assertThat(invocation.toolName()).isEqualTo("resources/read orders://{orderId}");
				assertThat(invocation.arguments()).containsEntry("orderId", "o-1");
				return Decision.deny("Orders are frozen.");
			}

			@Override
			public void onError(ToolInvocation invocation, ToolError error) {
				ResourceGovernorTests.this.hookErrors.add(error);
			}
		};
		McpError error = catchThrowableOfType(McpError.class, () -> governor(Exposure.DENY_UNGOVERNED, freeze)
			.read("orders://{orderId}", "orders://o-1", reader(), () -> {
				ran.set(true);
				return contents("{}");
			}));

		assertThat(ran).isFalse();
		assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
		assertThat(error.getJsonRpcError().message()).isEqualTo("Orders are frozen.");
		assertThat(this.hookErrors).singleElement().extracting(ToolError::message).isEqualTo("Orders are frozen.");
		assertThat(this.events).singleElement().satisfies((event) -> assertThat(event.outcome().wireName()).isEqualTo("denied"));
	}

	@Test
	void aHookThatThrowsRefusesTheRead() {
		ToolExecutionHook broken = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				throw new IllegalStateException("broken");
			}
		};
		McpError error = catchThrowableOfType(McpError.class, () -> governor(Exposure.DENY_UNGOVERNED, broken)
			.read("orders://{orderId}", "orders://o-1", reader(), () -> contents("{}")));

		assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.FAILED);
		assertThat(error.getJsonRpcError().message()).doesNotContain("broken");
	}

	@Test
	void aFailingHandlerIsAnInternalErrorWithoutItsMessage() {
		McpError error = catchThrowableOfType(McpError.class, () -> governor(Exposure.DENY_UNGOVERNED)
			.read("orders://{orderId}", "orders://o-1", reader(), () -> {
				throw new IllegalStateException("SELECT secret FROM orders");
			}));

		assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.FAILED);
		assertThat(error.getJsonRpcError().toString()).doesNotContain("SELECT", "secret", "IllegalStateException")
			.contains("internal_error", "request_id");
	}

	@Test
	void withoutAVerifiedCallerTheReadIsRefused() {
		McpError error = catchThrowableOfType(McpError.class, () -> governor(Exposure.ALLOW_UNGOVERNED)
			.read("orders://{orderId}", "orders://o-1", null, () -> contents("{}")));

		assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.REFUSED);
		assertThat(error.getJsonRpcError().data()).asString().contains("unauthenticated");
	}

	@Test
	void allowUngovernedServesAnUngovernedResourceRedacted() {
		ReadResourceResult result = governor(Exposure.ALLOW_UNGOVERNED).read("notes://{id}", "notes://n-1", reader(),
				() -> contents("{\"note\":\"hi\",\"password\":\"hunter2\"}"));

		assertThat(((TextResourceContents) result.contents().get(0)).text()).contains("hi").doesNotContain("hunter2");
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.toolName()).isEqualTo("resources/read notes://{id}");
			assertThat(event.policy()).isNull();
		});
	}

}
