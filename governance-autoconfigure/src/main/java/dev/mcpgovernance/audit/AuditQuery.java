package dev.mcpgovernance.audit;

import java.time.Instant;
import java.util.List;

/**
 * A page of the audit trail, newest first. Every filter is optional.
 *
 * @param ownerId only this owner's calls
 * @param tool only calls of this tool
 * @param outcome only calls with this outcome ({@code ok}, {@code denied}, …)
 * @param from only calls received at or after this instant
 * @param to only calls received before this instant
 * @param page the page, from 0
 * @param size records per page, 1 to {@link #MAX_SIZE}
 */
public record AuditQuery(String ownerId, String tool, String outcome, Instant from, Instant to, int page, int size) {

	public static final int MAX_SIZE = 500;

	public AuditQuery {
		if (page < 0) {
			throw new IllegalArgumentException("page must be 0 or more");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
		}
	}

	/** One page of records. */
	public record Page(List<AuditRecord> records, int page, int size, boolean hasNext) {
	}

}
