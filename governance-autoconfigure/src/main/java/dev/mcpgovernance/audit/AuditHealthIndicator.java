package dev.mcpgovernance.audit;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The audit pipeline's backlog: queue depth, journaled records, failed writes and the last failure.
 * UP with a warning while records wait in the journal (they are safe on disk, and the replica still
 * serves); DOWN once records were lost because the journal itself could not be written.
 */
public class AuditHealthIndicator extends AbstractHealthIndicator {

	private final AuditPipeline pipeline;

	public AuditHealthIndicator(AuditPipeline pipeline) {
		super("Audit health check failed");
		this.pipeline = pipeline;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("queueDepth", this.pipeline.queueDepth())
			.withDetail("spilled", this.pipeline.spilled())
			.withDetail("journalBacklogBytes", this.pipeline.journalBacklogBytes())
			.withDetail("written", this.pipeline.written())
			.withDetail("failures", this.pipeline.failures())
			.withDetail("lost", this.pipeline.lost());
		AuditPipeline.Failure failure = this.pipeline.lastFailure();
		if (failure != null) {
			builder.withDetail("lastFailure", failure.at().toString()).withDetail("lastFailureType", failure.type());
		}
		if (this.pipeline.lost() > 0) {
			builder.down().withDetail("warning", "Audit records were lost: the journal in "
					+ this.pipeline.journalDirectory() + " could not be written");
		}
		else if (this.pipeline.journalBacklogBytes() > 0) {
			builder.up().withDetail("warning", "Audit records wait in the journal until the audit store answers");
		}
		else {
			builder.up();
		}
	}

}
