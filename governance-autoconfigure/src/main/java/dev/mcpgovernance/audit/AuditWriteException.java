package dev.mcpgovernance.audit;

/** A batch of audit records the store did not take; the pipeline journals it and tries again. */
public class AuditWriteException extends RuntimeException {

	public AuditWriteException(String message) {
		super(message);
	}

}
