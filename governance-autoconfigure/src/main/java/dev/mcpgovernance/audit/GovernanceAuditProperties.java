package dev.mcpgovernance.audit;

import java.nio.file.Path;
import java.time.Duration;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The audit trail. */
@ConfigurationProperties(prefix = GovernanceAuditProperties.PREFIX)
@Validated
public class GovernanceAuditProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".audit";

	/** Whether every governed tool call is recorded. */
	private boolean enabled = true;

	/**
	 * Where records go: jdbc (table mcp_governance_audit), log (JSON lines to the logger
	 * mcp.governance.audit) or none. When unset: jdbc when the application has a DataSource,
	 * otherwise log. An AuditWriter bean of the application's replaces either.
	 */
	private AuditStore store;

	/**
	 * When a call's answer may leave: default (the record is forced to the local journal within
	 * milliseconds of the answer, see docs/audit.md for the measured window) or strict (the answer
	 * waits until its record is forced to the journal).
	 */
	@NotNull
	private AuditDurability durability = AuditDurability.DEFAULT;

	/**
	 * Longest time a call waits, in strict durability, for its record to reach the journal; after it
	 * the answer leaves anyway and the wait is counted (health: strictTimeouts).
	 */
	@NotNull
	private Duration strictTimeout = Duration.ofSeconds(5);

	/**
	 * A store write running longer than this counts as an outage: health reports the store
	 * unavailable and records wait in the journal. The write itself is left to finish.
	 */
	@NotNull
	private Duration storeTimeout = Duration.ofSeconds(1);

	/**
	 * Longest time a call waits for room when the queue is full (the local disk cannot keep up); a
	 * record that finds none is dropped, counted as lost, and leaves a gap in its stream.
	 */
	@NotNull
	private Duration enqueueTimeout = Duration.ofSeconds(1);

	/**
	 * Rows the jdbc store keeps at most when its database is in memory (an embedded H2 at
	 * jdbc:h2:mem:…, lost at every restart anyway); the oldest rows are deleted beyond it. A database
	 * on disk or on a server is never capped by this.
	 */
	@Min(1)
	private int inMemoryMaxRows = 10_000;

	/** Records held in memory for the background writer thread, which forces them to the journal. */
	@Min(1)
	private int queueCapacity = 10_000;

	/** Records per journal append and per write to the store at most. */
	@Min(1)
	@Max(10_000)
	private int batchSize = 500;

	/** Longest time the writer thread waits idle for a record before it looks at the store again. */
	@NotNull
	private Duration flushInterval = Duration.ofMillis(200);

	/** Wait after a failed write before the store is tried again; records meanwhile wait in the journal. */
	@NotNull
	private Duration retryInterval = Duration.ofSeconds(5);

	/**
	 * Directory of the local journal (JSON lines, forced to disk on every append), where every record
	 * goes before the store and stays while the store is down or slow. Each application needs a directory of its own: journals left
	 * there by an earlier run are written back into this application's store at start-up.
	 */
	@NotNull
	private Path journalDir = Path.of(System.getProperty("java.io.tmpdir"), "mcp-governance-audit");

	/** Longest wait at shutdown for the last records to be written; what is left stays in the journal. */
	@NotNull
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/** How long audit rows are kept (jdbc store), e.g. 90d; unset keeps them for ever. */
	private Duration retention;

	/** Rows deleted per statement by retention. */
	@Min(1)
	private int retentionBatchSize = 1_000;

	/** How often retention runs. */
	@NotNull
	private Duration retentionInterval = Duration.ofHours(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public AuditStore getStore() {
		return this.store;
	}

	public void setStore(AuditStore store) {
		this.store = store;
	}

	public AuditDurability getDurability() {
		return this.durability;
	}

	public void setDurability(AuditDurability durability) {
		this.durability = durability;
	}

	public Duration getStrictTimeout() {
		return this.strictTimeout;
	}

	public void setStrictTimeout(Duration strictTimeout) {
		this.strictTimeout = strictTimeout;
	}

	public Duration getStoreTimeout() {
		return this.storeTimeout;
	}

	public void setStoreTimeout(Duration storeTimeout) {
		this.storeTimeout = storeTimeout;
	}

	public Duration getEnqueueTimeout() {
		return this.enqueueTimeout;
	}

	public void setEnqueueTimeout(Duration enqueueTimeout) {
		this.enqueueTimeout = enqueueTimeout;
	}

	public int getInMemoryMaxRows() {
		return this.inMemoryMaxRows;
	}

	public void setInMemoryMaxRows(int inMemoryMaxRows) {
		this.inMemoryMaxRows = inMemoryMaxRows;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getFlushInterval() {
		return this.flushInterval;
	}

	public void setFlushInterval(Duration flushInterval) {
		this.flushInterval = flushInterval;
	}

	public Duration getRetryInterval() {
		return this.retryInterval;
	}

	public void setRetryInterval(Duration retryInterval) {
		this.retryInterval = retryInterval;
	}

	public Path getJournalDir() {
		return this.journalDir;
	}

	public void setJournalDir(Path journalDir) {
		this.journalDir = journalDir;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public int getRetentionBatchSize() {
		return this.retentionBatchSize;
	}

	public void setRetentionBatchSize(int retentionBatchSize) {
		this.retentionBatchSize = retentionBatchSize;
	}

	public Duration getRetentionInterval() {
		return this.retentionInterval;
	}

	public void setRetentionInterval(Duration retentionInterval) {
		this.retentionInterval = retentionInterval;
	}

}
