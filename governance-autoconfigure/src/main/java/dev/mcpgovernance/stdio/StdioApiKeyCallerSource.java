package dev.mcpgovernance.stdio;

import java.util.Optional;

import dev.mcpgovernance.identity.apikey.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.identity.Transport;

/**
 * The STDIO caller: the API key the launching client put in the process environment. The key is
 * verified on every call, so a revoked or expired key stops working while the process runs.
 */
class StdioApiKeyCallerSource implements ProcessCallerSource {

	private final String apiKey;

	private final ApiKeyAuthenticator authenticator;

	/**
	 * @param apiKey the key from the environment, or {@code null}
	 * @param authenticator the API-key authenticator, or {@code null} when no pepper is configured
	 */
	public StdioApiKeyCallerSource(String apiKey, ApiKeyAuthenticator authenticator) {
		this.apiKey = apiKey;
		this.authenticator = authenticator;
	}

	@Override
	public Optional<CallerIdentity> caller() {
		if (this.apiKey == null || this.authenticator == null) {
			return Optional.empty();
		}
		if (this.authenticator.authenticate(this.apiKey, Transport.STDIO) instanceof AuthenticationOutcome.Authenticated ok) {
			return Optional.of(ok.identity());
		}
		return Optional.empty();
	}

}
