/**
 * The audit trail: one hash-chained {@link dev.mcpgovernance.audit.AuditRecord} per call, written in
 * the background by an {@link dev.mcpgovernance.audit.AuditWriter} (declare one to send records
 * elsewhere), read with {@link dev.mcpgovernance.audit.AuditQueryService} and checked with
 * {@link dev.mcpgovernance.audit.AuditChainVerifier} or the {@link dev.mcpgovernance.audit.VerifyAuditChain} command.
 */
package dev.mcpgovernance.audit;
