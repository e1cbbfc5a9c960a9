package dev.mcpgovernance.identity.apikey;

/**
 * Told when an API key is revoked, on this replica or (with {@code broadcast-revocations}) on
 * another one, so that what was granted to the key ends with it: its open MCP sessions, for one.
 * Beans of this type are collected in their order. A listener must be quick and must not throw.
 */
@FunctionalInterface
public interface RevocationListener {

	void revoked(String keyId);

}
