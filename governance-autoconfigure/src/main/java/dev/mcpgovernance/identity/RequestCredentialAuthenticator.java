package dev.mcpgovernance.identity;

import java.util.Map;

/**
 * Authenticates a credential that an MCP request carries in its {@code _meta} rather than in the
 * transport, such as a capability token on STDIO ({@code params._meta.capability}). Consulted only
 * when the transport verified no caller: over HTTP the security filter chain has already decided.
 */
public interface RequestCredentialAuthenticator {

	/** Key in {@code _meta} under which the credential arrives. */
	String metaKey();

	/**
	 * @param credential the value under {@link #metaKey()}
	 * @return the verified caller, or the refusal whose reason is safe to show to the caller
	 */
	AuthenticationOutcome authenticate(Object credential);

}
