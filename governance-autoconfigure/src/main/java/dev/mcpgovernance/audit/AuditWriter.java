package dev.mcpgovernance.audit;

import java.util.List;

/**
 * Where audit records end up. The starter calls it from one background thread, in batches, with
 * records already chained; a call that throws leaves the whole batch to be retried later (from the
 * local journal), so a writer should store a record with an id it already holds at most once.
 * A bean of this type replaces the starter's writers.
 */
@FunctionalInterface
public interface AuditWriter {

	/**
	 * Stores the records, in the given order.
	 * @throws RuntimeException when they could not all be stored; they will be written again
	 */
	void write(List<AuditRecord> records);

}
