package dev.mcpgovernance.identity.capability;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.Transport;

/**
 * Verifies capability tokens: delegable credentials that a holder can narrow offline and hand on.
 * Over HTTP they arrive in the {@value #HEADER} header; on STDIO, where no request has headers,
 * in each {@code tools/call} request's {@code params._meta.}{@value #META_KEY}.
 */
@FunctionalInterface
public interface CapabilityAuthenticator {

	/** HTTP header carrying a capability token. */
	String HEADER = "X-MCP-Capability";

	/** Key in a request's {@code _meta} carrying a capability token. */
	String META_KEY = "capability";

	/**
	 * @param token the token as presented
	 * @return the verified caller (transport {@link Transport#CAPABILITY}), or the refusal whose
	 * reason is safe to show to the caller
	 */
	AuthenticationOutcome authenticate(String token);

}
