package dev.mcpgovernance.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;

/** The current span of Micrometer Tracing's {@link Tracer} (OpenTelemetry or Brave underneath). */
class TracerCurrentSpan implements CurrentSpan {

	private final ObjectProvider<Tracer> tracer;

	/** @param tracer looked up on each call, so that a tracer defined after this bean is still found */
	public TracerCurrentSpan(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	@Override
	public SpanIds ids() {
		Tracer current = this.tracer.getIfAvailable();
		Span span = (current != null) ? current.currentSpan() : null;
		if (span == null || span.isNoop()) {
			return null;
		}
		return new SpanIds(span.context().traceId(), span.context().spanId());
	}

}
