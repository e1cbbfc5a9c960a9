package dev.mcpgovernance.it.connector;

import java.io.IOException;

import dev.mcpgovernance.it.oauth.TestAuthorizationServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The authorization server and the Petstore upstream the token-exchange tests share, started once
 * per test JVM (several test classes, each with its own application context, call them; the gateway's
 * token-exchange test too).
 */
public final class ConnectorTestServers {

	public static final TestAuthorizationServer AUTHORIZATION_SERVER = TestAuthorizationServer.start();

	static final PetstoreUpstream UPSTREAM = startUpstream();

	private ConnectorTestServers() {
	}

	/**
	 * The governed server as these tests run it: this server's resource, JWTs from the shared
	 * authorization server, and token exchange at it with the exchange client's credentials.
	 */
	public static void trustAuthorizationServerAndExchangeTokens(DynamicPropertyRegistry registry) {
		registry.add("mcp.governance.resource", () -> TestAuthorizationServer.RESOURCE);
		registry.add("mcp.governance.oauth.issuers.primary.issuer-uri", AUTHORIZATION_SERVER::issuer);
		registry.add("mcp.governance.oauth.issuers.primary.algorithms", () -> "RS256,ES256");
		registry.add("mcp.governance.token-exchange.token-uri", () -> AUTHORIZATION_SERVER.issuer() + "/oauth2/token");
		registry.add("mcp.governance.token-exchange.client-id", () -> TestAuthorizationServer.EXCHANGE_CLIENT);
		registry.add("mcp.governance.token-exchange.client-secret",
				() -> TestAuthorizationServer.secretOf(TestAuthorizationServer.EXCHANGE_CLIENT));
	}

	private static PetstoreUpstream startUpstream() {
		try {
			return PetstoreUpstream.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
