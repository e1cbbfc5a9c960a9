package dev.mcpgovernance.capability;

import java.time.Instant;

/**
 * A newly minted root capability token.
 *
 * @param token the token (base64url), for the {@code X-MCP-Capability} header or {@code _meta.capability}
 * @param keyId how decisions and the audit trail name it and every token narrowed from it
 * ({@code cap:<root key id>#<revocation id prefix>})
 * @param expiresAt when it stops working
 */
public record MintedCapability(String token, String keyId, Instant expiresAt) {

	/** Never the token itself: it is a bearer credential. */
	@Override
	public String toString() {
		return "MintedCapability[keyId=" + this.keyId + ", expiresAt=" + this.expiresAt + "]";
	}

}
