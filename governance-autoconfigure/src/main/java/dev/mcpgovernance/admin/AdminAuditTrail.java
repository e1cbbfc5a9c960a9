package dev.mcpgovernance.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.mcpgovernance.audit.ArgumentShape;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.audit.AuditRecord;
import dev.mcpgovernance.audit.AuditText;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.scope.Scope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Who changed what through the admin API, and when: one record per change (or refused change) in
 * the audit trail, beside the tool calls, and one log line. A record's {@code tool} names the
 * admin action ({@code admin.upstreams.add}), its scope is the one the action needs, and its
 * {@code data_source} names what was touched ({@code upstream-<domain>}, the data source of that
 * upstream's tool calls too). Nothing of the request body is kept but its shape.
 */
public class AdminAuditTrail {

	private static final Log logger = LogFactory.getLog(AdminAuditTrail.class);

	private final AuditPipeline pipeline;

	private final Redactor redactor;

	/**
	 * @param pipeline the audit pipeline; {@code null} when the audit trail is off (then only the log line)
	 * @param redactor applied to free text; {@code null} when redaction is off
	 */
	public AdminAuditTrail(AuditPipeline pipeline, Redactor redactor) {
		this.pipeline = pipeline;
		this.redactor = redactor;
	}

	/**
	 * @param action the admin action, e.g. {@code admin.upstreams.add}
	 * @param scope the scope the action needs
	 * @param target what it touched, e.g. {@code upstream-crm}
	 * @param outcome {@code ok}, {@code denied} or {@code invalid_input}
	 * @param errorCode the error code the caller saw; {@code null} when the outcome is {@code ok}
	 * @param startedAt when the request arrived
	 */
	public void record(CallerIdentity caller, String action, Scope scope, String target, String outcome,
			String errorCode, Instant startedAt, Map<String, ?> requestShape) {
		String shownTarget = text(target);
		String by = (caller != null) ? "key " + caller.keyId() + " (owner " + caller.ownerId() + ")" : "no caller";
		logger.info("Admin " + action + " of " + shownTarget + " by " + by + ": " + outcome
				+ ((errorCode != null) ? " (" + errorCode + ")" : ""));
		if (this.pipeline == null) {
			return;
		}
		long latency = Math.max(0, ChronoUnit.MICROS.between(startedAt, Instant.now()));
		this.pipeline.submit(new AuditRecord(AuditRecord.newId(), startedAt.truncatedTo(ChronoUnit.MICROS),
				UUID.randomUUID().toString(), (caller != null) ? bounded(caller.keyId()) : null,
				(caller != null) ? bounded(caller.ownerId()) : null, (caller != null) ? text(caller.ownerLabel()) : null,
				(caller != null) ? bounded(caller.tenant()) : null,
				(caller != null) ? caller.transport().name().toLowerCase(Locale.ROOT) : null, scope.domain(), action,
				scope.resource(), scope.action(), outcome, errorCode, shownTarget, false, latency,
				ArgumentShape.of(requestShape), null, null, null, 0, null, null));
	}

	private String text(String value) {
		return withoutControls(AuditText.redacted(this.redactor, value));
	}

	private static String bounded(String value) {
		return withoutControls(AuditText.bounded(value));
	}

	// Control characters would let a caller's text forge log lines; each becomes one '?', so the
	// bound on the length holds.
	private static String withoutControls(String value) {
		return (value != null) ? value.replaceAll("\\p{Cntrl}", "?") : null;
	}

}
