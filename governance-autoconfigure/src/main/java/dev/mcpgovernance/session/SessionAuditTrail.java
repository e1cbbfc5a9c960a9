package dev.mcpgovernance.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.mcpgovernance.audit.ArgumentShape;
import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.audit.AuditRecord;
import dev.mcpgovernance.audit.AuditText;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.redaction.Redactor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Records a request refused because its session belongs to another caller: one audit record (tool
 * {@code mcp.session.<http method>}, outcome {@code denied}, error code {@value #ERROR_CODE}) and
 * one log line, both naming the caller that was refused and never the session's owner. The session
 * appears only as a short hash of its id (in {@code data_source}), enough to see repeated attempts on
 * one session and useless for using it.
 */
public class SessionAuditTrail {

	public static final String ERROR_CODE = "session_mismatch";

	static final String TOOL_PREFIX = "mcp.session.";

	private static final Log logger = LogFactory.getLog(SessionAuditTrail.class);

	private final AuditPipeline pipeline;

	private final Redactor redactor;

	/**
	 * @param pipeline the audit pipeline; {@code null} when the audit trail is off (then only the log line)
	 * @param redactor applied to the owner label; {@code null} when redaction is off
	 */
	public SessionAuditTrail(AuditPipeline pipeline, Redactor redactor) {
		this.pipeline = pipeline;
		this.redactor = redactor;
	}

	void mismatch(CallerIdentity caller, String httpMethod, String sessionId) {
		String session = "session-" + hashPrefix(sessionId);
		String tool = TOOL_PREFIX + httpMethod.toLowerCase(Locale.ROOT);
		logger.warn("Refused " + tool + " of key " + caller.keyId() + ": " + session + " belongs to another caller");
		if (this.pipeline == null) {
			return;
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		this.pipeline.submit(new AuditRecord(AuditRecord.newId(), now, UUID.randomUUID().toString(),
				AuditText.bounded(caller.keyId()), AuditText.bounded(caller.ownerId()),
				AuditText.redacted(this.redactor, caller.ownerLabel()), AuditText.bounded(caller.tenant()),
				caller.transport().name().toLowerCase(Locale.ROOT), null, tool, null, null, "denied", ERROR_CODE,
				session, false, 0, ArgumentShape.of(Map.of()), null, null, null, 0, null, null));
	}

	private static String hashPrefix(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
