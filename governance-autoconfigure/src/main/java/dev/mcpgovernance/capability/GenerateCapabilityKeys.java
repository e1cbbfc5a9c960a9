package dev.mcpgovernance.capability;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Prints a new Ed25519 key pair for capability tokens and the configuration that uses it:
 *
 * <pre>
 * java -cp mcp-governance-spring-boot-autoconfigure.jar dev.mcpgovernance.capability.GenerateCapabilityKeys [key id]
 * </pre>
 *
 * Uses only the JDK so that it runs from the jar alone.
 */
public final class GenerateCapabilityKeys {

	private GenerateCapabilityKeys() {
	}

	public static void main(String[] args) throws GeneralSecurityException {
		int keyId = (args.length > 0) ? Integer.parseInt(args[0]) : 1;
		String[] pair = newKeyPair();
		System.out.println("Where tokens are minted (keep the private key secret, e.g. in "
				+ "MCP_GOVERNANCE_CAPABILITY_SIGNING_KEY_PRIVATE_KEY):");
		System.out.println("""
				mcp:
				  governance:
				    capability:
				      signing-key:
				        id: %d
				        private-key: %s""".formatted(keyId, pair[0]));
		System.out.println("Where tokens are verified:");
		System.out.println("""
				mcp:
				  governance:
				    capability:
				      public-keys:
				        - id: %d
				          key: %s""".formatted(keyId, pair[1]));
	}

	/** A new pair as hex: the 32-byte private seed, then the 32-byte public key. */
	static String[] newKeyPair() throws GeneralSecurityException {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		// The raw keys are the last 32 bytes of the PKCS#8 and X.509 encodings.
		return new String[] { HexFormat.of().formatHex(lastBytes(pair.getPrivate().getEncoded())),
				HexFormat.of().formatHex(lastBytes(pair.getPublic().getEncoded())) };
	}

	private static byte[] lastBytes(byte[] encoded) {
		return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
	}

}
