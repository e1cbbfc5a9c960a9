package dev.mcpgovernance.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The execution hooks run inside the governor's checks: in order, fail closed, and before redaction. */
class ToolCallGovernorHookTests {

	private static final Tool TOOL = tool("ping");

	private static final CallerIdentity CALLER = new CallerIdentity("key-1", "owner-1", "Owner",
			ScopeSet.parse(List.of()), null, Transport.HTTP, null);

	private final List<ToolCallEvent> events = new ArrayList<>();

	@Test
	void hooksRunInOrderOfTheirOrderAnnotationAroundTheHandler() {
		List<String> calls = new ArrayList<>();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(OrderedHooks.class)) {
			context.getBean(OrderedHooks.class).calls = calls;
			List<ToolExecutionHook> hooks = context.getBeanProvider(ToolExecutionHook.class).orderedStream().toList();
			CallToolResult result = governor(null, hooks).call(TOOL, Map.of(), CALLER, () -> {
				calls.add("handler");
				return text("pong");
			});

			assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
			assertThat(calls).containsExactly("before-first", "before-second", "handler", "after-first",
					"after-second");
		}
	}

	@Test
	void deniedCallNeverRunsTheHandlerAndLaterHooksDoNotRun() {
		AtomicBoolean laterRan = new AtomicBoolean();
		ToolExecutionHook deny = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				return Decision.deny("Pings are off today.");
			}
		};
		ToolExecutionHook later = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				laterRan.set(true);
				return Decision.proceed();
			}
		};
		CallToolResult result = governor(null, List.of(deny, later)).call(TOOL, Map.of(), CALLER, () -> {
			throw new AssertionError("the handler must not run");
		});

		assertThat(result.isError()).isTrue();
		assertThat(result.structuredContent()).isEqualTo(Map.of("error_code", "forbidden", "message",
				"Pings are off today.", "details", Map.of("tool", "ping")));
		assertThat(laterRan).isFalse();
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(event.outcome()).isEqualTo(CallOutcome.DENIED));
	}

	@Test
	void hooksDoNotRunForACallerWhoLacksAccess() {
		AtomicBoolean ran = new AtomicBoolean();
		ToolExecutionHook hook = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				ran.set(true);
				return Decision.proceed();
			}
		};
		CallToolResult result = governor(null, List.of(hook)).call(TOOL, Map.of(), null, () -> text("pong"));

		assertThat(result.isError()).isTrue();
		assertThat(ran).isFalse();
	}

	@Test
	void transformedResultIsStillRedacted() throws Exception {
		ToolExecutionHook leaky = new ToolExecutionHook() {
			@Override
			public CallToolResult afterExecute(ToolInvocation invocation, CallToolResult result) {
				return CallToolResult.builder()
					.structuredContent(Map.of("password", "hunter2-secret", "note", "added by the hook"))
					.build();
			}
		};
		CallToolResult result = governor(Redactor.withDefaults(), List.of(leaky)).call(TOOL, Map.of(), CALLER,
				() -> text("pong"));

		String wire = new ObjectMapper().writeValueAsString(result);
		assertThat(wire).contains("added by the hook").doesNotContain("hunter2-secret");
	}

	@Test
	void throwingHookFailsClosedWithInternalErrorAndNoMessage() {
		ToolExecutionHook broken = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				throw new IllegalStateException("secret-detail");
			}
		};
		CallToolResult result = governor(null, List.of(broken)).call(TOOL, Map.of(), CALLER, () -> {
			throw new AssertionError("the handler must not run");
		});

		assertThat(result.isError()).isTrue();
		assertThat(result.structuredContent().toString()).contains("internal_error")
			.doesNotContain("secret-detail")
			.doesNotContain("IllegalStateException");
	}

	@Test
	void throwingAfterExecuteFailsClosedAndTheResultIsNotPassedOn() {
		ToolExecutionHook broken = new ToolExecutionHook() {
			@Override
			public CallToolResult afterExecute(ToolInvocation invocation, CallToolResult result) {
				throw new IllegalStateException("boom");
			}
		};
		CallToolResult result = governor(null, List.of(broken)).call(TOOL, Map.of(), CALLER, () -> text("pong"));

		assertThat(result.isError()).isTrue();
		assertThat(result.toString()).doesNotContain("pong");
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(event.errorCode()).isEqualTo(ToolErrorCode.INTERNAL_ERROR));
	}

	@Test
	void onErrorSeesTheErrorTheCallerGetsAndCannotChangeIt() {
		AtomicReference<ToolError> seen = new AtomicReference<>();
		ToolExecutionHook observer = new ToolExecutionHook() {
			@Override
			public void onError(ToolInvocation invocation, ToolError error) {
				seen.set(error);
				throw new IllegalStateException("a broken observer");
			}
		};
		CallToolResult result = governor(null, List.of(observer)).call(TOOL, Map.of("q", "x"), CALLER, () -> {
			throw new ToolErrorException(ToolError.of(ToolErrorCode.INVALID_INPUT, "q is wrong"));
		});

		assertThat(seen.get()).isEqualTo(ToolError.of(ToolErrorCode.INVALID_INPUT, "q is wrong"));
		assertThat(result.structuredContent().toString()).contains("invalid_input");
	}

	@Test
	void hookSeesReadOnlyArgumentsAndItsHeadersReachTheHandler() {
		AtomicReference<Map<String, String>> headers = new AtomicReference<>();
		ToolExecutionHook hook = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				assertThat(invocation.caller()).isEqualTo(CALLER);
				assertThat(invocation.toolName()).isEqualTo("ping");
				try {
					invocation.arguments().put("q", "changed");
					return Decision.deny("arguments were writable");
				}
				catch (UnsupportedOperationException expected) {
					invocation.outboundHeaders().put("X-Tenant", "acme");
					return Decision.proceed();
				}
			}
		};
		CallToolResult result = governor(null, List.of(hook)).call(TOOL, Map.of("q", "x"), CALLER, () -> {
			headers.set(GovernanceContext.outboundHeaders());
			return text("pong");
		});

		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		assertThat(headers.get()).containsExactly(Map.entry("X-Tenant", "acme"));
	}

	@Test
	void afterListMayOnlyRemoveTools() {
		ToolExecutionHook hideAndAdd = new ToolExecutionHook() {
			@Override
			public List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
				List<Tool> answer = new ArrayList<>(tools.stream().filter((tool) -> !tool.name().equals("b")).toList());
				answer.add(tool("injected"));
				return answer;
			}
		};
		List<Tool> visible = governor(null, List.of(hideAndAdd)).afterList(CALLER,
				List.of(tool("a"), tool("b"), tool("c")));

		assertThat(visible).extracting(Tool::name).containsExactly("a", "c");
	}

	@Test
	void throwingAfterListShowsNothing() {
		ToolExecutionHook broken = new ToolExecutionHook() {
			@Override
			public List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
				throw new IllegalStateException("boom");
			}
		};
		assertThatNoException().isThrownBy(() -> assertThat(governor(null, List.of(broken)).afterList(CALLER,
				List.of(tool("a")))).isEmpty());
	}

	@Test
	void hookThrowingAnErrorFailsClosedToo() {
		AtomicBoolean handlerRan = new AtomicBoolean();
		ToolExecutionHook broken = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				throw new AssertionError("secret-detail");
			}
		};
		CallToolResult result = governor(null, List.of(broken)).call(TOOL, Map.of(), CALLER, () -> {
			handlerRan.set(true);
			return text("pong");
		});

		assertThat(result.isError()).isTrue();
		assertThat(result.structuredContent().toString()).contains("internal_error").doesNotContain("secret-detail");
		assertThat(handlerRan).isFalse();
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(event.errorCode()).isEqualTo(ToolErrorCode.INTERNAL_ERROR));
	}

	@Test
	void afterListThrowingAnErrorShowsNothingInsteadOfLosingTheAnswer() {
		ToolExecutionHook broken = new ToolExecutionHook() {
			@Override
			public List<Tool> afterList(CallerIdentity caller, List<Tool> tools) {
				throw new StackOverflowError();
			}
		};
		assertThat(governor(null, List.of(broken)).afterList(CALLER, List.of(tool("a")))).isEmpty();
	}

	@Test
	void headerTheUpstreamRequestCannotCarryFailsTheCallClosed() {
		List<Map<String, String>> unusable = List.of(Map.of("Content-Type", "text/plain"),
				Map.of("Mcp-Session-Id", "someone-elses"), Map.of("X-Tenant", "acme\r\nX-Injected: 1"),
				Map.of("X Tenant", "acme"), Map.of("", "acme"), Map.of("X-Name", "\u4e2d"));
		for (Map<String, String> headers : unusable) {
			AtomicBoolean handlerRan = new AtomicBoolean();
			ToolExecutionHook hook = new ToolExecutionHook() {
				@Override
				public Decision beforeExecute(ToolInvocation invocation) {
					invocation.outboundHeaders().putAll(headers);
					return Decision.proceed();
				}
			};
			CallToolResult result = governor(null, List.of(hook)).call(TOOL, Map.of(), CALLER, () -> {
				handlerRan.set(true);
				return text("pong");
			});

			assertThat(result.isError()).as(headers.toString()).isTrue();
			assertThat(result.structuredContent().toString()).contains("internal_error");
			assertThat(handlerRan).as(headers.toString()).isFalse();
		}
	}

	@Test
	void headerWithANullValueIsSkippedNotRefused() {
		AtomicReference<Map<String, String>> headers = new AtomicReference<>();
		ToolExecutionHook hook = new ToolExecutionHook() {
			@Override
			public Decision beforeExecute(ToolInvocation invocation) {
				invocation.outboundHeaders().put("X-Optional", null);
				invocation.outboundHeaders().put("X-Request-Tag", "tag-1");
				return Decision.proceed();
			}
		};
		CallToolResult result = governor(null, List.of(hook)).call(TOOL, Map.of(), CALLER, () -> {
			headers.set(GovernanceContext.outboundHeaders());
			return text("pong");
		});

		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		assertThat(headers.get()).containsExactly(Map.entry("X-Request-Tag", "tag-1"));
	}

	private ToolCallGovernor governor(Redactor redactor, List<ToolExecutionHook> hooks) {
		GovernedToolRegistry registry = new GovernedToolRegistry(new GovernedToolRegistrar(), "test");
		registry.afterSingletonsInstantiated();
		return new ToolCallGovernor(registry, new ToolErrorClassifier(), Exposure.ALLOW_UNGOVERNED, ToolCallLimiter.NONE,
				redactor, List.of(this.events::add), ToolCallObserver.NONE, hooks);
	}

	private static Tool tool(String name) {
		return Tool.builder().name(name).inputSchema(new JsonSchema("object", Map.of(), List.of(), null, null, null)).build();
	}

	private static CallToolResult text(String text) {
		return CallToolResult.builder().addTextContent(text).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedHooks {

		List<String> calls;

		// Declared second but ordered first: the bean order must not decide.
		@Bean
		@Order(2)
		ToolExecutionHook second() {
			return recording("second");
		}

		@Bean
		@Order(1)
		ToolExecutionHook first() {
			return recording("first");
		}

		private ToolExecutionHook recording(String name) {
			OrderedHooks self = this;
			return new ToolExecutionHook() {
				@Override
				public Decision beforeExecute(ToolInvocation invocation) {
					self.calls.add("before-" + name);
					return Decision.proceed();
				}

				@Override
				public CallToolResult afterExecute(ToolInvocation invocation, CallToolResult result) {
					self.calls.add("after-" + name);
					return result;
				}
			};
		}

	}

}
