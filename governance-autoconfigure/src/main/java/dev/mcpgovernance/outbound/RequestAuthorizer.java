package dev.mcpgovernance.outbound;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;

import org.springframework.http.HttpHeaders;

/** Adds a connector's downstream credential to one outgoing request. */
@FunctionalInterface
public interface RequestAuthorizer {

	/**
	 * @param headers the outgoing request's headers
	 * @param caller the verified caller of the tool call
	 * @param inbound the caller's access token, or {@code null} for an API-key or STDIO caller
	 */
	void authorize(HttpHeaders headers, CallerIdentity caller, InboundAccessToken inbound);

}
