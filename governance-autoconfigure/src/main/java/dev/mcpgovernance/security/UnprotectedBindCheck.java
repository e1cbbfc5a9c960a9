package dev.mcpgovernance.security;

import java.net.InetAddress;
import java.util.List;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CredentialKind;

import org.springframework.beans.factory.InitializingBean;

/**
 * Refuses to start a server that listens beyond the loopback interface while no credential kind
 * verifies network callers ({@link CredentialKind#verifiesRemoteCallers()}): such a server would answer 401 to everyone at best, and its operators
 * would be tempted to "fix" that by switching governance off.
 */
public class UnprotectedBindCheck implements InitializingBean {

	private final InetAddress bindAddress;

	private final List<CredentialKind> kinds;

	/**
	 * @param bindAddress {@code server.address}; {@code null} means every interface
	 * @param kinds the credential kinds the server accepts
	 */
	public UnprotectedBindCheck(InetAddress bindAddress, List<CredentialKind> kinds) {
		this.bindAddress = bindAddress;
		this.kinds = List.copyOf(kinds);
	}

	@Override
	public void afterPropertiesSet() {
		boolean loopbackOnly = this.bindAddress != null && this.bindAddress.isLoopbackAddress();
		if (!loopbackOnly && this.kinds.stream().noneMatch(CredentialKind::verifiesRemoteCallers)) {
			String where = (this.bindAddress != null) ? this.bindAddress.getHostAddress() : "every network interface";
			throw new GovernanceConfigurationException(
					"The MCP server would listen on " + where + " with no authentication configured.",
					"Configure API keys (set mcp.governance.api-keys.pepper and declare or create keys) or OAuth "
							+ "(mcp.governance.oauth.issuers), or bind to loopback only with server.address=127.0.0.1.");
		}
	}

}
