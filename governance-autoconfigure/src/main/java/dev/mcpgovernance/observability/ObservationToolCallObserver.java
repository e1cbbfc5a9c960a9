package dev.mcpgovernance.observability;

import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolPolicy;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Runs every tool call inside a Micrometer {@link Observation}: with Spring Boot's Actuator that is
 * a timer {@code mcp.governance.tool.calls} and, with tracing, a span that is current while the
 * handler runs, whose ids reach the {@link ToolCallEvent} (and so the audit record).
 */
class ObservationToolCallObserver implements ToolCallObserver {

	private static final ToolCallObservationConvention DEFAULT_CONVENTION = new DefaultToolCallObservationConvention();

	private final ObservationRegistry registry;

	private final ToolCallObservationConvention convention;

	private final CurrentSpan currentSpan;

	/** @param convention replaces the default names and tags; {@code null} for the default */
	public ObservationToolCallObserver(ObservationRegistry registry, ToolCallObservationConvention convention,
			CurrentSpan currentSpan) {
		this.registry = registry;
		this.convention = convention;
		this.currentSpan = currentSpan;
	}

	@Override
	public ObservedCall start(String toolName, ToolPolicy policy) {
		ToolCallObservationContext context = new ToolCallObservationContext(toolName, policy);
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.start();
		Observation.Scope scope = observation.openScope();
		CurrentSpan.SpanIds ids = this.currentSpan.ids();
		return new Observed(observation, scope, context, ids);
	}

	private record Observed(Observation observation, Observation.Scope scope, ToolCallObservationContext context,
			CurrentSpan.SpanIds ids) implements ObservedCall {

		@Override
		public String traceId() {
			return (this.ids != null) ? this.ids.traceId() : null;
		}

		@Override
		public String spanId() {
			return (this.ids != null) ? this.ids.spanId() : null;
		}

		@Override
		public void stop(ToolCallEvent event) {
			this.context.finish(event);
			this.scope.close();
			this.observation.stop();
		}

	}

}
