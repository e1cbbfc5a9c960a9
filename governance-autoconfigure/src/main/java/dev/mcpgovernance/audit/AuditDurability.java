package dev.mcpgovernance.audit;

/** When a tool call's answer may leave, relative to its audit record reaching the local journal. */
public enum AuditDurability {

	/**
	 * The answer does not wait: the writer thread appends and forces the record to the journal
	 * within milliseconds (group commit), whether the store is up, slow or down. A JVM killed in
	 * that window loses the records not yet forced.
	 */
	DEFAULT,

	/**
	 * The answer waits until its record has been forced to the journal (bounded by
	 * {@code strict-timeout}): a JVM killed at any moment loses no record of an answered call.
	 */
	STRICT

}
