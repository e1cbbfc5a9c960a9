package dev.mcpgovernance.audit;

/**
 * The JDBC audit store on PostgreSQL with the driver rewriting batches into multi-row inserts
 * ({@code reWriteBatchedInserts}, a common setting for write-heavy applications): a batch that holds
 * a stored record must still be refused as a duplicate and written again without it.
 */
class PostgresRewrittenBatchesJdbcAuditStoreTests extends PostgresJdbcAuditStoreTests {

	@Override
	String urlOptions() {
		return "&reWriteBatchedInserts=true";
	}

}
