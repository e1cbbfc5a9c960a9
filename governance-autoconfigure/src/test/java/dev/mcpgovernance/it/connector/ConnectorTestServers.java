package dev.mcpgovernance.it.connector;

import java.io.IOException;

import dev.mcpgovernance.it.oauth.TestAuthorizationServer;

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

	private static PetstoreUpstream startUpstream() {
		try {
			return PetstoreUpstream.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
