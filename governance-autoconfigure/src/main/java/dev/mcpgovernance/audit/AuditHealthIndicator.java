package dev.mcpgovernance.audit;

import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The audit pipeline's state: durability, queue depth, journal backlog, writes, failures, losses,
 * and (with the jdbc store) the rows missing inside the streams' sequences. UP with a warning while
 * the store is unavailable (records are safe in the journal, and the replica still serves) or rows
 * are missing; DOWN once records were lost because neither the journal nor the store took them.
 */
class AuditHealthIndicator extends AbstractHealthIndicator {

	/** How long a count of missing rows is reused: it reads the whole table's index. */
	private static final long GAP_CHECK_NANOS = Duration.ofMinutes(1).toNanos();

	private final AuditPipeline pipeline;

	private final AuditChainVerifier verifier;

	private long missingRows = -1;

	private long checkedAt;

	/**
	 * @param verifier counts missing rows; {@code null} when the store is not jdbc
	 */
	public AuditHealthIndicator(AuditPipeline pipeline, AuditChainVerifier verifier) {
		super("Audit health check failed");
		this.pipeline = pipeline;
		this.verifier = verifier;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("durability", this.pipeline.durability().name().toLowerCase(Locale.ROOT))
			.withDetail("queueDepth", this.pipeline.queueDepth())
			.withDetail("journaled", this.pipeline.journaled())
			.withDetail("journalBacklogBytes", this.pipeline.journalBacklogBytes())
			.withDetail("longestJournalLagMillis", this.pipeline.longestJournalLag().toMillis())
			.withDetail("storeAvailable", !this.pipeline.storeUnavailable())
			.withDetail("written", this.pipeline.written())
			.withDetail("spilled", this.pipeline.spilled())
			.withDetail("failures", this.pipeline.failures())
			.withDetail("lost", this.pipeline.lost())
			.withDetail("strictTimeouts", this.pipeline.strictTimeouts());
		AuditPipeline.Failure failure = this.pipeline.lastFailure();
		if (failure != null) {
			builder.withDetail("lastFailure", failure.at().toString()).withDetail("lastFailureType", failure.type());
		}
		long missing = missingRows();
		if (missing >= 0) {
			builder.withDetail("missingRows", missing);
		}
		if (this.pipeline.lost() > 0) {
			builder.down().withDetail("warning", "Audit records were lost: neither the journal in "
					+ this.pipeline.journalDirectory() + " nor the store took them");
		}
		else if (this.pipeline.storeUnavailable()) {
			builder.up().withDetail("warning", "The audit store is unavailable; records wait in the journal until it answers");
		}
		else if (missing > 0) {
			builder.up().withDetail("warning", "Audit streams have gaps: rows were deleted or lost (see the chain verification)");
		}
		else {
			builder.up();
		}
	}

	private synchronized long missingRows() {
		if (this.verifier == null || this.pipeline.storeUnavailable()) {
			return this.missingRows;
		}
		long now = System.nanoTime();
		if (this.missingRows < 0 || now - this.checkedAt > GAP_CHECK_NANOS) {
			try {
				this.missingRows = this.verifier.missingRows();
				this.checkedAt = now;
			}
			catch (AuditWriteException ex) {
				// The store's state is reported above; keep the last count.
			}
		}
		return this.missingRows;
	}

}
