package dev.mcpgovernance.identity.apikey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes the stored form of an API key: HMAC-SHA-256 under a server-side pepper. A leaked
 * key table is useless without the pepper, and the pepper never leaves the server's configuration.
 */
public final class ApiKeyHasher {

	/** Shortest pepper accepted: 32 characters, so that it carries at least 128 bits in practice. */
	public static final int MIN_PEPPER_LENGTH = 32;

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec pepper;

	/** A Mac keyed with the pepper per thread: looking one up and keying it costs more than the HMAC itself. */
	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

	public ApiKeyHasher(String pepper) {
		if (pepper == null || pepper.length() < MIN_PEPPER_LENGTH) {
			throw new IllegalArgumentException("The API key pepper must be at least " + MIN_PEPPER_LENGTH + " characters");
		}
		this.pepper = new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	/** The lower-case hex HMAC of the key. */
	public String hash(String apiKey) {
		// doFinal resets the Mac, so the next call on this thread starts clean.
		return HexFormat.of().formatHex(this.macs.get().doFinal(apiKey.getBytes(StandardCharsets.UTF_8)));
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.pepper);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available in this JVM", ex);
		}
	}

	/** Constant-time comparison of two hex hashes, so that timing reveals nothing about a stored hash. */
	public static boolean sameHash(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
	}

}
