package dev.mcpgovernance.identity.apikey;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes new API key secrets and ids, and knows what a well-formed secret looks like. */
public final class ApiKeyGenerator {

	public static final String PREFIX = "sk_";

	private static final int SECRET_BYTES = 32;

	private static final int ID_BYTES = 9;

	// sk_ + base64url of 32..64 bytes: rejects garbage before any hashing or lookup happens.
	private static final int MIN_ENCODED = 43;

	private static final int MAX_ENCODED = 86;

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

	/**
	 * Whether the text is {@code sk_} followed by 43 to 86 base64url characters. Checked by hand: it
	 * runs on every request, and a regular expression was about 1 % of the request threads' CPU.
	 */
	public static boolean isWellFormed(String candidate) {
		if (candidate == null || !candidate.startsWith(PREFIX)) {
			return false;
		}
		int encoded = candidate.length() - PREFIX.length();
		if (encoded < MIN_ENCODED || encoded > MAX_ENCODED) {
			return false;
		}
		for (int i = PREFIX.length(); i < candidate.length(); i++) {
			char c = candidate.charAt(i);
			boolean base64Url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
					|| c == '-';
			if (!base64Url) {
				return false;
			}
		}
		return true;
	}

	private static String randomBase64Url(int bytes) {
		byte[] buffer = new byte[bytes];
		RANDOM.nextBytes(buffer);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
	}

}
