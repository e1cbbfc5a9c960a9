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
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import dev.mcpgovernance.tool.ToolExecutionHook;
import dev.mcpgovernance.tool.ToolInvocation;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ListPromptsResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourceTemplatesResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
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
				Map.of("orders://{orderId}", "orders:order:read", "orders://stats", "orders:stats:read"),
				Map.of("summarize_order", "orders:order:read"));
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
	void aCompletionHandlerRunsAsTheCallerAndTheSourceItRecordsIsReportedEvenWhenItFails() {
		ResourceGovernor governor = governor(Exposure.DENY_UNGOVERNED);
		CompleteResult result = governor.complete(GovernedKind.PROMPT, "summarize_order", Map.of(), reader(), () -> {
			assertThat(GovernanceContext.caller()).hasValueSatisfying((caller) -> assertThat(caller.keyId()).isEqualTo("key-1"));
			GovernanceContext.recordDataSource("upstream-orders", false);
			return new CompleteResult(new CompleteResult.CompleteCompletion(List.of("o-1")));
		});
		catchThrowableOfType(McpError.class,
				() -> governor.complete(GovernedKind.PROMPT, "summarize_order", Map.of(), reader(), () -> {
					GovernanceContext.recordDataSource("upstream-orders", false);
					throw new IllegalStateException("down");
				}));

		assertThat(result.completion().values()).containsExactly("o-1");
		assertThat(this.events).extracting(ToolCallEvent::dataSource).containsExactly("upstream-orders", "upstream-orders");
		assertThat(this.events).extracting((event) -> event.outcome().wireName()).containsExactly("ok", "error");
		assertThat(GovernanceContext.caller()).isEmpty();
	}

	@Test
	void theHandlerRunsAsTheCallerAndTheSourceItRecordsIsReportedEvenWhenItFails() {
		ResourceGovernor governor = governor(Exposure.DENY_UNGOVERNED);
		ReadResourceResult result = governor.read("orders://{orderId}", "orders://o-1", reader(), () -> {
			assertThat(GovernanceContext.caller()).hasValueSatisfying((caller) -> assertThat(caller.keyId()).isEqualTo("key-1"));
			GovernanceContext.recordDataSource("orders-db", true);
			return contents("{}");
		});
		catchThrowableOfType(McpError.class, () -> governor.read("orders://{orderId}", "orders://o-2", reader(), () -> {
			GovernanceContext.recordDataSource("upstream-orders", false);
			throw new IllegalStateException("down");
		}));

		assertThat(result.contents()).hasSize(1);
		assertThat(this.events).extracting(ToolCallEvent::dataSource).containsExactly("orders-db", "upstream-orders");
		assertThat(this.events).extracting(ToolCallEvent::cacheHit).containsExactly(true, false);
		assertThat(GovernanceContext.caller()).isEmpty();
	}

	@Test
	void aHooksOutboundHeaderReachesTheHandlerAndOneThatCannotBeSentRefusesTheRead() {
		AtomicBoolean ran = new AtomicBoolean();
		ToolExecutionHook tag = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				invocation.outboundHeaders().put("X-Tag", "t-1");
				return Decision.proceed();
			}
		};
		governor(Exposure.DENY_UNGOVERNED, tag).read("orders://{orderId}", "orders://o-1", reader(), () -> {
			assertThat(GovernanceContext.outboundHeaders()).containsExactly(Map.entry("X-Tag", "t-1"));
			return contents("{}");
		});
		ToolExecutionHook reserved = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				invocation.outboundHeaders().put("Mcp-Session-Id", "hijacked");
				return Decision.proceed();
			}
		};
		McpError error = catchThrowableOfType(McpError.class, () -> governor(Exposure.DENY_UNGOVERNED, reserved)
			.read("orders://{orderId}", "orders://o-1", reader(), () -> {
				ran.set(true);
				return contents("{}");
			}));

		assertThat(ran).isFalse();
		assertThat(error.getJsonRpcError().code()).isEqualTo(ResourceErrors.FAILED);
		assertThat(error.getJsonRpcError().toString()).contains("internal_error").doesNotContain("hijacked");
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

	@Test
	void afterReadTransformsTheContentsBeforeRedaction() {
		List<ToolInvocation.Kind> kinds = new ArrayList<>();
		ToolExecutionHook annotate = new ToolExecutionHook() {
			@Override
			public ReadResourceResult afterRead(ToolInvocation invocation, ReadResourceResult result) {
				kinds.add(invocation.kind());
				return contents("{\"annotated\":true,\"password\":\"added-by-hook\"}");
			}
		};
		ReadResourceResult result = governor(Exposure.DENY_UNGOVERNED, annotate).read("orders://{orderId}",
				"orders://o-1", reader(), () -> contents("{\"orderId\":\"o-1\"}"));

		assertThat(((TextResourceContents) result.contents().get(0)).text()).contains("annotated")
			.doesNotContain("added-by-hook", "o-1");
		assertThat(kinds).containsExactly(ToolInvocation.Kind.RESOURCE);
		assertThat(this.events).singleElement().satisfies((event) -> assertThat(event.outcome().wireName()).isEqualTo("ok"));
	}

	@Test
	void afterGetTransformsThePromptMessagesBeforeRedaction() {
		ToolExecutionHook rewrite = new ToolExecutionHook() {
			@Override
			public GetPromptResult afterGet(ToolInvocation invocation, GetPromptResult result) {
				assertThat(invocation.kind()).isEqualTo(ToolInvocation.Kind.PROMPT);
				assertThat(invocation.toolName()).isEqualTo("prompts/get summarize_order");
				return new GetPromptResult("rewritten", List.of(new PromptMessage(Role.USER,
						new TextContent("{\"hint\":\"be brief\",\"password\":\"hunter2\"}"))));
			}
		};
		GetPromptResult result = governor(Exposure.DENY_UNGOVERNED, rewrite).get("summarize_order",
				Map.of("orderId", "o-1"), reader(), () -> new GetPromptResult("original", List.of()));

		assertThat(result.description()).isEqualTo("rewritten");
		assertThat(((TextContent) result.messages().get(0).content()).text()).contains("be brief")
			.doesNotContain("hunter2");
	}

	@Test
	void anAfterHookThatThrowsOrAnswersNothingFailsTheRequestAndHearsOfIt() {
		ToolExecutionHook nothing = new ToolExecutionHook() {
			@Override
			public ReadResourceResult afterRead(ToolInvocation invocation, ReadResourceResult result) {
				return null;
			}

			@Override
			public void onError(ToolInvocation invocation, ToolError error) {
				ResourceGovernorTests.this.hookErrors.add(error);
			}
		};
		ToolExecutionHook throwing = new ToolExecutionHook() {
			@Override
			public GetPromptResult afterGet(ToolInvocation invocation, GetPromptResult result) {
				throw new IllegalStateException("secret detail");
			}
		};
		McpError read = catchThrowableOfType(McpError.class, () -> governor(Exposure.DENY_UNGOVERNED, nothing)
			.read("orders://{orderId}", "orders://o-1", reader(), () -> contents("{}")));
		McpError get = catchThrowableOfType(McpError.class, () -> governor(Exposure.DENY_UNGOVERNED, throwing)
			.get("summarize_order", Map.of(), reader(), () -> new GetPromptResult("original", List.of())));

		assertThat(read.getJsonRpcError().code()).isEqualTo(ResourceErrors.FAILED);
		assertThat(get.getJsonRpcError().code()).isEqualTo(ResourceErrors.FAILED);
		assertThat(get.getJsonRpcError().toString()).doesNotContain("secret detail");
		assertThat(this.hookErrors).singleElement().extracting((error) -> error.code().wireName()).isEqualTo("internal_error");
		assertThat(this.events).extracting((event) -> event.outcome().wireName()).containsExactly("error", "error");
	}

	@Test
	void theListHooksMayOnlyRemoveAndAThrowingOneLeavesNothing() {
		ToolExecutionHook lists = new ToolExecutionHook() {
			@Override
			public List<Resource> afterListResources(CallerIdentity caller, List<Resource> resources) {
				// Hides the stats and tries to add a resource the caller may not read.
				return List.of(Resource.builder().uri("orders://secret").name("secret").build());
			}

			@Override
			public List<ResourceTemplate> afterListResourceTemplates(CallerIdentity caller,
					List<ResourceTemplate> templates) {
				return templates;
			}

			@Override
			public List<Prompt> afterListPrompts(CallerIdentity caller, List<Prompt> prompts) {
				throw new IllegalStateException("broken");
			}
		};
		CallerResourceView view = new CallerResourceView(governor(Exposure.DENY_UNGOVERNED, lists));
		CallerIdentity everything = new CallerIdentity("key-2", "owner-2", null, ScopeSet.parse(List.of("orders:*:read")),
				null, Transport.HTTP, null);
		Resource stats = Resource.builder().uri("orders://stats").name("stats").build();
		ResourceTemplate order = ResourceTemplate.builder().uriTemplate("orders://{orderId}").name("order").build();

		assertThat(((ListResourcesResult) view.visible(new ListResourcesResult(List.of(stats), null), everything))
			.resources()).isEmpty();
		assertThat(((ListResourceTemplatesResult) view.visible(new ListResourceTemplatesResult(List.of(order), null),
				everything)).resourceTemplates()).containsExactly(order);
		assertThat(((ListPromptsResult) view.visible(
				new ListPromptsResult(List.of(new Prompt("summarize_order", "Summarize", List.of())), null), everything))
			.prompts()).isEmpty();
	}

}
