package dev.mcpgovernance.audit;

import java.time.temporal.ChronoUnit;
import java.util.Locale;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolPolicy;

/**
 * Turns every finished tool call into an {@link AuditRecord} and submits it to the pipeline. A tool
 * whose policy says {@code audit = false} is skipped; an ungoverned or unknown tool is always
 * recorded. Free text a caller or configuration can influence (owner label, tool name, data source)
 * passes through the {@link Redactor}; arguments are reduced to their shape.
 */
class AuditToolCallListener implements ToolCallListener {

	private final AuditPipeline pipeline;

	private final Redactor redactor;

	/**
	 * @param redactor applied to the record's free text; {@code null} when redaction is off
	 */
	public AuditToolCallListener(AuditPipeline pipeline, Redactor redactor) {
		this.pipeline = pipeline;
		this.redactor = redactor;
	}

	@Override
	public void onToolCall(ToolCallEvent event) {
		ToolPolicy policy = event.policy();
		if (policy != null && !policy.audit()) {
			return;
		}
		// Built on the pipeline's journal thread: the event is immutable, and its arguments are no longer
		// touched once the call has finished.
		this.pipeline.submit(() -> toRecord(event));
	}

	AuditRecord toRecord(ToolCallEvent event) {
		CallerIdentity caller = event.caller();
		Scope scope = (event.policy() != null) ? event.policy().requiredScope() : null;
		return new AuditRecord(AuditRecord.newId(), event.startedAt().truncatedTo(ChronoUnit.MICROS),
				event.requestId(), (caller != null) ? bounded(caller.keyId()) : null,
				(caller != null) ? bounded(caller.ownerId()) : null,
				(caller != null) ? text(caller.ownerLabel()) : null, (caller != null) ? bounded(caller.tenant()) : null,
				(caller != null) ? caller.transport().name().toLowerCase(Locale.ROOT) : null,
				(scope != null) ? scope.domain() : null, text(event.toolName()), (scope != null) ? scope.resource() : null,
				(scope != null) ? scope.action() : null, event.outcome().wireName(),
				(event.errorCode() != null) ? event.errorCode().wireName() : null, text(event.dataSource()),
				event.cacheHit(), event.latencyMicros(), ArgumentShape.of(event.arguments()),
				bounded(event.traceId()), bounded(event.spanId()), null, 0, null, null);
	}

	private String text(String value) {
		return AuditText.redacted(this.redactor, value);
	}

	private static String bounded(String value) {
		return AuditText.bounded(value);
	}

}
