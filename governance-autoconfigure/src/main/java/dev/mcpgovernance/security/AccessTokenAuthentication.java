package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.CallerIdentity;

/**
 * A caller verified by an OAuth access token. Unlike an API-key holder it can go back to its
 * authorization server for more scopes, so a call refused for scope is answered with a step-up
 * challenge rather than a tool error.
 */
public class AccessTokenAuthentication extends GovernanceAuthentication {

	public AccessTokenAuthentication(CallerIdentity caller) {
		super(caller);
	}

}
