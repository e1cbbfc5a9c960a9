package dev.mcpgovernance.security;

import dev.mcpgovernance.identity.CallerIdentity;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A caller verified by MCP Governance, as Spring Security sees it: authorities are {@code SCOPE_<scope>}. */
public class GovernanceAuthentication extends AbstractAuthenticationToken {

	private final CallerIdentity caller;

	public GovernanceAuthentication(CallerIdentity caller) {
		super(caller.scopes().asStrings().stream().map((scope) -> new SimpleGrantedAuthority("SCOPE_" + scope)).toList());
		this.caller = caller;
		setAuthenticated(true);
	}

	@Override
	public CallerIdentity getPrincipal() {
		return this.caller;
	}

	/** Never the secret: it is not kept after verification. */
	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return this.caller.ownerId();
	}

}
