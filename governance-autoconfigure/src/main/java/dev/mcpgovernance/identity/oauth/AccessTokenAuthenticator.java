package dev.mcpgovernance.identity.oauth;

import java.util.List;

import dev.mcpgovernance.identity.AuthenticationOutcome;

/** Verifies an OAuth access token, by its signature ({@link JwtAuthenticator}) or by introspection ({@link OpaqueTokenAuthenticator}). */
interface AccessTokenAuthenticator {

	/** The issuers whose tokens this authenticator verifies, for the protected resource metadata. */
	List<String> issuers();

	/** The caller the token stands for, or why it is refused; never throws for a bad token. */
	AuthenticationOutcome authenticate(String token);

}
