package dev.mcpgovernance.session;

import dev.mcpgovernance.identity.CallerIdentity;

/**
 * Whom a session belongs to: the credential that opened it and that credential's owner. An API
 * key is its key id; an access token is its issuer, client and subject; a capability token is its
 * root key, root token and subject. A request with any other credential is not the owner's.
 */
record SessionOwner(String keyId, String ownerId) {

	static SessionOwner of(CallerIdentity caller) {
		return new SessionOwner(caller.keyId(), caller.ownerId());
	}

}
