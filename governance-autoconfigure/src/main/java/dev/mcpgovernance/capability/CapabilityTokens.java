package dev.mcpgovernance.capability;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Base64;

import biscuit.format.schema.Schema;

import org.biscuitsec.biscuit.token.UnverifiedBiscuit;
import org.biscuitsec.biscuit.token.builder.Block;

/**
 * Narrowing a capability token, offline: it needs only the token, no key and no call to the server.
 * The holder of a token hands the result to a worker, which can narrow it further but never widen it.
 */
public final class CapabilityTokens {

	private CapabilityTokens() {
	}

	/**
	 * Appends one block of restrictions to {@code token}.
	 * @param token a capability token (base64url), as minted or already narrowed
	 * @param attenuation what to restrict; at least one thing
	 * @return the narrowed token
	 * @throws IllegalArgumentException when the token cannot be read or the attenuation restricts nothing
	 */
	public static String attenuate(String token, Attenuation attenuation) {
		if (attenuation.restrictsNothing()) {
			throw new IllegalArgumentException("The attenuation restricts nothing");
		}
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(token.trim());
			UnverifiedBiscuit biscuit = UnverifiedBiscuit.from_bytes(bytes);
			Block block = biscuit.create_block();
			if (!attenuation.tools().isEmpty()) {
				block.add_check(CapabilityDatalog.toolCheck(attenuation.tools()));
			}
			if (attenuation.scopes() != null) {
				block.add_check(CapabilityDatalog.scopeCheck(attenuation.scopes().scopes()));
			}
			if (attenuation.expiresAt() != null) {
				block.add_check(CapabilityDatalog.expiryCheck(attenuation.expiresAt()));
			}
			for (var limit : attenuation.limits().entrySet()) {
				block.add_check(CapabilityDatalog.limitCheck(limit.getKey(), limit.getValue()));
			}
			byte[] attenuated = biscuit.attenuate(block).serialize();
			return Base64.getUrlEncoder().encodeToString(withRootKeyIdOf(bytes, attenuated));
		}
		catch (org.biscuitsec.biscuit.error.Error | GeneralSecurityException | IOException | RuntimeException ex) {
			// The library's messages may quote the token; say only what went wrong.
			throw new IllegalArgumentException("Not a capability token that can be narrowed", null);
		}
	}

	/** The root key id a serialized token names, or {@code null}. */
	static Integer rootKeyId(byte[] token) throws IOException {
		Schema.Biscuit parsed = Schema.Biscuit.parseFrom(token);
		return parsed.hasRootKeyId() ? parsed.getRootKeyId() : null;
	}

	/**
	 * Biscuit 4.0.1 drops the root key id when it reads a token without verifying it, so a narrowed
	 * token would no longer say which key to verify it with. The id is a hint outside the signatures:
	 * putting the original back changes nothing a signature covers.
	 */
	private static byte[] withRootKeyIdOf(byte[] original, byte[] attenuated) throws IOException {
		Integer rootKeyId = rootKeyId(original);
		if (rootKeyId == null) {
			return attenuated;
		}
		return Schema.Biscuit.parseFrom(attenuated).toBuilder().setRootKeyId(rootKeyId).build().toByteArray();
	}

}
