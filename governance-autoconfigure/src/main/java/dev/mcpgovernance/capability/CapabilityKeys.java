package dev.mcpgovernance.capability;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import biscuit.format.schema.Schema.PublicKey.Algorithm;
import dev.mcpgovernance.GovernanceConfigurationException;
import io.vavr.control.Option;
import org.biscuitsec.biscuit.crypto.KeyDelegate;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.crypto.PublicKey;

/**
 * The Ed25519 public keys whose tokens this server accepts, by root key id. Several may be listed
 * so that keys rotate without a gap: mint with the new key, keep the old one until its tokens expire.
 * A token that names no key id, or one not listed, is refused.
 */
final class CapabilityKeys implements KeyDelegate {

	private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

	private static final String BISCUIT_PREFIX = "ed25519/";

	private final Map<Integer, PublicKey> publicKeys;

	public CapabilityKeys(Map<Integer, PublicKey> publicKeys) {
		this.publicKeys = Map.copyOf(publicKeys);
	}

	/**
	 * The keys in configuration: every listed public key and the public half of the signing key.
	 * @throws GovernanceConfigurationException naming the property that holds a bad key
	 */
	public static CapabilityKeys from(CapabilityProperties properties) {
		Map<Integer, PublicKey> keys = new LinkedHashMap<>();
		for (int i = 0; i < properties.getPublicKeys().size(); i++) {
			CapabilityProperties.PublicKeyEntry entry = properties.getPublicKeys().get(i);
			String property = CapabilityProperties.PREFIX + ".public-keys[" + i + "]";
			PublicKey key = publicKey(decode(entry.getKey(), property + ".key"), property + ".key");
			if (keys.putIfAbsent(entry.getId(), key) != null) {
				throw new GovernanceConfigurationException(
						"Capability key id " + entry.getId() + " is listed twice (" + property + ").",
						"Give every key in " + CapabilityProperties.PREFIX + ".public-keys its own id.");
			}
		}
		KeyPair signing = signingKeyPair(properties);
		if (signing != null) {
			Integer id = properties.getSigningKey().getId();
			PublicKey listed = keys.putIfAbsent(id, signing.public_key());
			if (listed != null && !listed.equals(signing.public_key())) {
				throw new GovernanceConfigurationException(
						"Capability key id " + id + " names a public key that does not belong to the signing key.",
						"Remove public key " + id + " from " + CapabilityProperties.PREFIX
								+ ".public-keys (the signing key's own is accepted anyway) or fix it.");
			}
		}
		return new CapabilityKeys(keys);
	}

	private static PublicKey publicKey(byte[] bytes, String property) {
		try {
			return new PublicKey(Algorithm.Ed25519, bytes);
		}
		catch (RuntimeException ex) {
			throw new GovernanceConfigurationException(property + " is not a valid Ed25519 public key.",
					"Set it to the public key printed by " + GenerateCapabilityKeys.class.getName() + ".");
		}
	}

	/** The signing key pair in configuration, or {@code null} when this server does not mint tokens. */
	static KeyPair signingKeyPair(CapabilityProperties properties) {
		CapabilityProperties.SigningKey signingKey = properties.getSigningKey();
		if (signingKey.getPrivateKey() == null) {
			return null;
		}
		String property = CapabilityProperties.PREFIX + ".signing-key.private-key";
		if (signingKey.getId() == null) {
			throw new GovernanceConfigurationException("A capability signing key is set without its id.",
					"Set " + CapabilityProperties.PREFIX + ".signing-key.id (a number that tokens will name).");
		}
		return new KeyPair(decode(signingKey.getPrivateKey(), property));
	}

	/** 32 bytes of an Ed25519 key: 64 hex characters (optionally after {@code ed25519/}) or base64/base64url. */
	static byte[] decode(String text, String property) {
		String value = (text != null) ? text.trim() : "";
		if (value.regionMatches(true, 0, BISCUIT_PREFIX, 0, BISCUIT_PREFIX.length())) {
			value = value.substring(BISCUIT_PREFIX.length());
		}
		byte[] bytes = null;
		if (HEX_KEY.matcher(value).matches()) {
			bytes = HexFormat.of().parseHex(value);
		}
		else {
			try {
				bytes = Base64.getDecoder().decode(value.replace('-', '+').replace('_', '/'));
			}
			catch (IllegalArgumentException ex) {
				// Reported below without the value: it may be a private key.
			}
		}
		if (bytes == null || bytes.length != 32) {
			throw new GovernanceConfigurationException(property + " is not a 32-byte Ed25519 key.",
					"Set it to 64 hex characters (or base64) as printed by "
							+ GenerateCapabilityKeys.class.getName() + ".");
		}
		return bytes;
	}

	public boolean isEmpty() {
		return this.publicKeys.isEmpty();
	}

	public Set<Integer> ids() {
		return this.publicKeys.keySet();
	}

	@Override
	public Option<PublicKey> root_key(Option<Integer> keyId) {
		if (keyId.isEmpty()) {
			return Option.none();
		}
		return Option.of(this.publicKeys.get(keyId.get()));
	}

}
