package dev.mcpgovernance.identity.apikey;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Makes new API key secrets and ids, and knows what a well-formed secret looks like. */
public final class ApiKeyGenerator {

	public static final String PREFIX = "sk_";

	private static final int SECRET_BYTES = 32;

	private static final int ID_BYTES = 9;

	// sk_ + base64url of 32..64 bytes: rejects garbage before any hashing or lookup happens.
	private static final Pattern WELL_FORMED = Pattern.compile("sk_[A-Za-z0-9_-]{43,86}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private ApiKeyGenerator() {
	}

	/** A new secret: {@code sk_} followed by 32 random bytes, base64url encoded (43 characters). */
	public static String newSecret() {
		return PREFIX + randomBase64Url(SECRET_BYTES);
	}

	/** A new public key id, safe to log and to show in the audit trail. */
	public static String newKeyId() {
		return "key_" + randomBase64Url(ID_BYTES);
	}

	public static boolean isWellFormed(String candidate) {
		return candidate != null && WELL_FORMED.matcher(candidate).matches();
	}

	private static String randomBase64Url(int bytes) {
		byte[] buffer = new byte[bytes];
		RANDOM.nextBytes(buffer);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
	}

}
