package dev.mcpgovernance.security;

import java.util.Map;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CredentialKind;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A caller verified by MCP Governance, as Spring Security sees it: authorities are {@code SCOPE_<scope>}. */
public class GovernanceAuthentication extends AbstractAuthenticationToken {

	private final CallerIdentity caller;

	private final boolean canStepUp;

	private final Map<String, Object> transportContext;

	/**
	 * @param canStepUp whether the caller can ask its authorization server for more scopes
	 * @param transportContext what the credential's kind adds to the MCP transport context
	 * @see CredentialKind#canStepUp()
	 * @see CredentialKind#transportContext(String)
	 */
	public GovernanceAuthentication(CallerIdentity caller, boolean canStepUp, Map<String, Object> transportContext) {
		super(caller.scopes().asStrings().stream().map((scope) -> new SimpleGrantedAuthority("SCOPE_" + scope)).toList());
		this.caller = caller;
		this.canStepUp = canStepUp;
		this.transportContext = Map.copyOf(transportContext);
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

	/** Whether a call refused for scope gets the step-up challenge rather than the forbidden tool error. */
	public boolean canStepUp() {
		return this.canStepUp;
	}

	/** What the MCP transport context carries next to the caller; its values never show in {@link #toString()}. */
	public Map<String, Object> transportContext() {
		return this.transportContext;
	}

}
