package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;

/**
 * A caller verified by an OAuth access token. Unlike an API-key holder it can go back to its
 * authorization server for more scopes, so a call refused for scope is answered with a step-up
 * challenge rather than a tool error.
 */
public class AccessTokenAuthentication extends GovernanceAuthentication {

	private final InboundAccessToken accessToken;

	public AccessTokenAuthentication(CallerIdentity caller, InboundAccessToken accessToken) {
		super(caller);
		this.accessToken = accessToken;
	}

	/** The token the caller presented, for connectors that exchange it; {@code null} if not kept. */
	public InboundAccessToken accessToken() {
		return this.accessToken;
	}

}
