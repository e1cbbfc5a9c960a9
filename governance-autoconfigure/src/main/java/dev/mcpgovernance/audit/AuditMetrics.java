package dev.mcpgovernance.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code mcp.governance.audit.queue.depth}, {@code .journal.backlog} (bytes), {@code .journal.lag.max}
 * (seconds), and the counters {@code .journaled}, {@code .written}, {@code .spilled}, {@code .failures}
 * and {@code .lost}.
 */
class AuditMetrics implements MeterBinder {

	private final AuditPipeline pipeline;

	public AuditMetrics(AuditPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("mcp.governance.audit.queue.depth", this.pipeline, AuditPipeline::queueDepth)
			.description("Audit records waiting in memory for the background writer")
			.register(registry);
		Gauge.builder("mcp.governance.audit.journal.backlog", this.pipeline, AuditPipeline::journalBacklogBytes)
			.description("Bytes of audit records in the local journal waiting for the store")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("mcp.governance.audit.written", this.pipeline, AuditPipeline::written)
			.description("Audit records handed to the audit writer")
			.register(registry);
		FunctionCounter.builder("mcp.governance.audit.journaled", this.pipeline, AuditPipeline::journaled)
			.description("Audit records forced to the local journal")
			.register(registry);
		Gauge.builder("mcp.governance.audit.journal.lag.max", this.pipeline,
				(pipeline) -> pipeline.longestJournalLag().toNanos() / 1e9)
			.description("Longest time an audit record waited between its call and the journal, since start")
			.baseUnit("seconds")
			.register(registry);
		FunctionCounter.builder("mcp.governance.audit.spilled", this.pipeline, AuditPipeline::spilled)
			.description("Audit records the store took back from the journal because it was down, slow or behind")
			.register(registry);
		FunctionCounter.builder("mcp.governance.audit.failures", this.pipeline, AuditPipeline::failures)
			.description("Failed audit writes")
			.register(registry);
		FunctionCounter.builder("mcp.governance.audit.lost", this.pipeline, AuditPipeline::lost)
			.description("Audit records neither stored nor journaled")
			.register(registry);
	}

}
