package dev.mcpgovernance.adapter;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.CallerIdentity;

/**
 * Cache keys that carry what the caller may read: SHA-256 over the caller's tenant, its scopes
 * (sorted), its owner id for {@link Cached#perCaller()}, and the key parts, written as one JSON
 * array so that no two different inputs run together.
 */
final class CacheKeys {

	private final ObjectMapper json;

	CacheKeys(ObjectMapper json) {
		this.json = json;
	}

	String key(Cached<?> cached, CallerIdentity caller) {
		List<Object> material = new ArrayList<>();
		material.add("v1");
		material.add(caller.tenant());
		material.add(caller.scopes().asStrings().stream().sorted().toList());
		material.add(cached.keyedByCaller() ? caller.ownerId() : null);
		material.add(cached.keyParts());
		try {
			return sha256(this.json.writeValueAsBytes(material));
		}
		catch (JacksonException ex) {
			// The message may quote a value; the type of the part is enough to fix the call.
			throw new IllegalArgumentException("A cache key part of namespace '" + cached.namespace()
					+ "' cannot be written as JSON (" + ex.getClass().getSimpleName() + ")");
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
