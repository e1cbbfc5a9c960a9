package dev.mcpgovernance.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One writer stream's hash chain: each record gets the next sequence number, the previous
 * record's hash, and a hash of its own over its fields and that previous hash. A stream belongs to
 * one pipeline instance (a new one per start), so replicas never contend for one chain.
 */
public final class AuditChain {

	/** The previous hash of a stream's first record. */
	public static final String GENESIS = "0".repeat(64);

	private final String streamId;

	private long seq;

	private String prevHash = GENESIS;

	private final MessageDigest digest = sha256();

	public AuditChain() {
		this(UUID.randomUUID().toString());
	}

	AuditChain(String streamId) {
		this.streamId = streamId;
	}

	public String streamId() {
		return this.streamId;
	}

	/** The record as the next link of this chain. Not thread-safe: callers serialize calls. */
	public AuditRecord append(AuditRecord record) {
		return append(record, this.seq + 1);
	}

	/**
	 * The record as the next link of this chain, at position {@code streamSeq}, which the caller
	 * assigned when the call was recorded. A position skipped (a record that was dropped) stays a
	 * gap that verification reports. Not thread-safe: callers serialize calls.
	 */
	public AuditRecord append(AuditRecord record, long streamSeq) {
		if (streamSeq <= this.seq) {
			throw new IllegalArgumentException("Position " + streamSeq + " is not after " + this.seq);
		}
		this.seq = streamSeq;
		AuditRecord placed = record.chained(this.streamId, this.seq, this.prevHash, null);
		String hash = hash(placed, this.digest);
		this.prevHash = hash;
		return placed.chained(this.streamId, this.seq, placed.prevHash(), hash);
	}

	/**
	 * SHA-256 (hex) over a canonical encoding of every field but {@code rowHash}: each field as its
	 * length and text, {@code null} as {@code -1:}, the time as epoch microseconds. Length prefixes
	 * keep two different rows from encoding to the same text.
	 */
	public static String hash(AuditRecord record) {
		return hash(record, sha256());
	}

	private static String hash(AuditRecord record, MessageDigest digest) {
		StringBuilder text = new StringBuilder(512);
		field(text, record.id());
		field(text, Long.toString(epochMicros(record)));
		field(text, record.requestId());
		field(text, record.keyId());
		field(text, record.ownerId());
		field(text, record.ownerLabel());
		field(text, record.tenant());
		field(text, record.transport());
		field(text, record.domain());
		field(text, record.tool());
		field(text, record.resource());
		field(text, record.action());
		field(text, record.outcome());
		field(text, record.errorCode());
		field(text, record.dataSource());
		field(text, Boolean.toString(record.cacheHit()));
		field(text, Long.toString(record.latencyMicros()));
		field(text, record.argumentShape());
		field(text, record.traceId());
		field(text, record.spanId());
		field(text, record.streamId());
		field(text, Long.toString(record.streamSeq()));
		field(text, record.prevHash());
		return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is a required JDK algorithm", ex);
		}
	}

	private static long epochMicros(AuditRecord record) {
		return Math.addExact(Math.multiplyExact(record.occurredAt().getEpochSecond(), 1_000_000L),
				record.occurredAt().getNano() / 1_000);
	}

	private static void field(StringBuilder text, String value) {
		if (value == null) {
			text.append("-1:");
			return;
		}
		text.append(value.length()).append(':').append(value);
	}

}
