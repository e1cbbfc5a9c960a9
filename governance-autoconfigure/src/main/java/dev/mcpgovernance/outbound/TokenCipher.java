package dev.mcpgovernance.outbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for values kept outside the JVM. A value reads {@code v1.<key id>.<base64 of nonce and
 * ciphertext>}: a fresh random 96-bit nonce per value, and the key id so that a value sealed with
 * a retired key is recognised (and treated as absent) after the key is rotated. The associated
 * data binds a value to its cache key, so a value copied under another key does not open.
 */
final class TokenCipher {

	private static final String VERSION = "v1";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretKey key;

	private final String keyId;

	/**
	 * @param key the 32-byte AES key
	 * @param keyId a short name of the key, written with every value
	 */
	public TokenCipher(byte[] key, String keyId) {
		if (key.length != 32) {
			throw new IllegalArgumentException("an AES-256 key has 32 bytes");
		}
		if (keyId.isEmpty() || keyId.contains(".")) {
			throw new IllegalArgumentException("a key id is not empty and has no '.'");
		}
		this.key = new SecretKeySpec(key, "AES");
		this.keyId = keyId;
	}

	public String seal(String plaintext, String associatedData) {
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.nextBytes(nonce);
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] out = new byte[NONCE_BYTES + sealed.length];
			System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
			System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
			return VERSION + "." + this.keyId + "." + Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/** The plaintext; empty when the value was sealed with another key, altered, or not sealed at all. */
	public Optional<String> open(String value, String associatedData) {
		String[] parts = value.split("\\.", 3);
		if (parts.length != 3 || !VERSION.equals(parts[0]) || !this.keyId.equals(parts[1])) {
			return Optional.empty();
		}
		try {
			byte[] in = Base64.getDecoder().decode(parts[2]);
			if (in.length <= NONCE_BYTES) {
				return Optional.empty();
			}
			byte[] nonce = Arrays.copyOfRange(in, 0, NONCE_BYTES);
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, associatedData);
			byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
			return Optional.of(new String(plain, StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			return Optional.empty();
		}
	}

	private Cipher cipher(int mode, byte[] nonce, String associatedData) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, this.key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

}
