package dev.mcpgovernance.it.oauth;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The authorization servers the OAuth integration tests share, started once per test JVM: two the
 * MCP server trusts (one found through its metadata, one through its JWKS URI) and one it does not.
 */
final class AuthorizationServers {

	static final TestAuthorizationServer PRIMARY = TestAuthorizationServer.start();

	static final TestAuthorizationServer SECOND = TestAuthorizationServer.start();

	static final TestAuthorizationServer UNTRUSTED = TestAuthorizationServer.start();

	private AuthorizationServers() {
	}

	static void trustPrimaryAndSecond(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.resource", () -> TestAuthorizationServer.RESOURCE);
		registry.add("mcp.governance.oauth.issuers.primary.issuer-uri", PRIMARY::issuer);
		registry.add("mcp.governance.oauth.issuers.primary.algorithms", () -> "RS256,ES256");
		registry.add("mcp.governance.oauth.issuers.second.issuer-uri", SECOND::issuer);
		registry.add("mcp.governance.oauth.issuers.second.jwk-set-uri", () -> SECOND.issuer() + "/oauth2/jwks");
	}

}
