package dev.mcpgovernance.observability;

/**
 * The ids of the trace span current on this thread, as the audit record carries them. The
 * Micrometer Tracing one is used when the application has a {@code Tracer}.
 */
@FunctionalInterface
interface CurrentSpan {

	/** No tracing: never a span. */
	CurrentSpan NONE = () -> null;

	/** The current span's ids, or {@code null} when no span is current. */
	SpanIds ids();

	/**
	 * @param traceId the W3C trace id (32 hex characters with OpenTelemetry)
	 * @param spanId the span id
	 */
	record SpanIds(String traceId, String spanId) {
	}

}
