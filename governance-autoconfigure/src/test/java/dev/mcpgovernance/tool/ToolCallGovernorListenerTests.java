package dev.mcpgovernance.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every call, however it ends, reaches the listeners once, with what the audit trail needs. */
class ToolCallGovernorListenerTests {

	private static final Tool TOOL = Tool.builder()
		.name("ping")
		.inputSchema(new JsonSchema("object", Map.of(), List.of(), null, null, null))
		.build();

	private static final CallerIdentity CALLER = new CallerIdentity("key-1", "owner-1", "Owner", ScopeSet.parse(List.of()),
			null, Transport.HTTP, null);

	private final List<ToolCallEvent> events = new ArrayList<>();

	private final ToolCallGovernor governor = new ToolCallGovernor(emptyRegistry(), new ToolErrorClassifier(),
			Exposure.ALLOW_UNGOVERNED, ToolCallLimiter.NONE, null, List.of((event) -> {
				throw new IllegalStateException("a broken listener");
			}, this.events::add), ToolCallObserver.NONE, List.of());

	@Test
	void answeredCallReportsOkWithTheDataSourceTheHandlerRecorded() {
		CallToolResult result = this.governor.call(TOOL, Map.of("q", "x"), CALLER, () -> {
			GovernanceContext.recordDataSource("primary-db", true);
			return CallToolResult.builder().addTextContent("pong").build();
		});

		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.outcome()).isEqualTo(CallOutcome.OK);
			assertThat(event.errorCode()).isNull();
			assertThat(event.toolName()).isEqualTo("ping");
			assertThat(event.caller()).isEqualTo(CALLER);
			assertThat(event.dataSource()).isEqualTo("primary-db");
			assertThat(event.cacheHit()).isTrue();
			assertThat(event.latencyMicros()).isNotNegative();
			assertThat(event.requestId()).isNotBlank();
		});
	}

	@Test
	void refusedCallReportsDeniedAndNeverRunsTheHandler() {
		CallToolResult result = this.governor.call(TOOL, Map.of(), null, () -> {
			throw new AssertionError("the handler must not run");
		});

		assertThat(result.isError()).isTrue();
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.outcome()).isEqualTo(CallOutcome.DENIED);
			assertThat(event.errorCode()).isEqualTo(ToolErrorCode.UNAUTHENTICATED);
			assertThat(event.caller()).isNull();
			assertThat(event.dataSource()).isNull();
		});
	}

	@Test
	void failedHandlerReportsErrorWithItsRequestId() {
		CallToolResult result = this.governor.call(TOOL, Map.of(), CALLER, () -> {
			throw new IllegalStateException("boom");
		});

		assertThat(result.isError()).isTrue();
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.outcome()).isEqualTo(CallOutcome.ERROR);
			assertThat(event.errorCode()).isEqualTo(ToolErrorCode.INTERNAL_ERROR);
			assertThat(result.structuredContent().toString()).contains(event.requestId());
		});
	}

	@Test
	void aCallThatReachedNoHandlerIsReportedWithTheRecordedName() {
		this.governor.report(UnknownToolName.of("alice@example.com"), CALLER, ToolErrorCode.TOOL_NOT_FOUND,
				Map.of("q", "x"));

		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.toolName()).isEqualTo("unknown-tool(length=17,chars=ascii)");
			assertThat(event.policy()).isNull();
			assertThat(event.outcome()).isEqualTo(CallOutcome.ERROR);
			assertThat(event.errorCode()).isEqualTo(ToolErrorCode.TOOL_NOT_FOUND);
			assertThat(event.caller()).isEqualTo(CALLER);
			assertThat(event.arguments()).containsEntry("q", "x");
			assertThat(event.requestId()).isNotBlank();
		});
	}

	@Test
	void aHiddenToolIsReportedAsTheDirectCallsRefusal() {
		GovernedToolRegistry registry = emptyRegistry();
		registry.register(new ToolPolicy("cancel", dev.mcpgovernance.scope.Scope.parse("orders:order:cancel"), true,
				"Test#cancel"));
		ToolCallGovernor governor = new ToolCallGovernor(registry, new ToolErrorClassifier(), Exposure.DENY_UNGOVERNED,
				ToolCallLimiter.NONE, null, List.of(this.events::add), ToolCallObserver.NONE, List.of());
		Tool cancel = Tool.builder().name("cancel").inputSchema(TOOL.inputSchema()).build();

		governor.call(cancel, Map.of(), CALLER, () -> {
			throw new AssertionError("the handler must not run");
		});
		governor.reportHidden("cancel", CALLER, Map.of());
		governor.reportHidden("cancel", null, Map.of());

		assertThat(this.events).extracting(ToolCallEvent::errorCode)
			.containsExactly(ToolErrorCode.FORBIDDEN, ToolErrorCode.FORBIDDEN, ToolErrorCode.UNAUTHENTICATED);
		assertThat(this.events).allSatisfy((event) -> {
			assertThat(event.toolName()).isEqualTo("cancel");
			assertThat(event.policy().requiredScope().toString()).isEqualTo("orders:order:cancel");
			assertThat(event.outcome()).isEqualTo(CallOutcome.DENIED);
		});
	}

	private static GovernedToolRegistry emptyRegistry() {
		GovernedToolRegistry registry = new GovernedToolRegistry(new GovernedToolRegistrar(), "test");
		registry.afterSingletonsInstantiated();
		return registry;
	}

}
