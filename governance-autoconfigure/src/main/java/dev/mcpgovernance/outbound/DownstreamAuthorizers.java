package dev.mcpgovernance.outbound;

import java.util.Locale;
import java.util.Set;

import dev.mcpgovernance.GovernanceConfigurationException;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Turns a connector's {@link DownstreamAuth} into a {@link RequestAuthorizer}, checking at
 * start-up what can be checked: a service credential's variable must be set (the message names
 * the variable, never its value), and token exchange needs the token endpoint configured.
 */
public class DownstreamAuthorizers {

	// Headers a service credential must not be smuggled into: they belong to the transport.
	private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
			"connection", "cookie");

	private final Environment environment;

	private final TokenExchanger exchanger;

	/** @param exchanger the token exchange, or {@code null} when no token endpoint is configured */
	public DownstreamAuthorizers(Environment environment, TokenExchanger exchanger) {
		this.environment = environment;
		this.exchanger = exchanger;
	}

	public RequestAuthorizer resolve(String connector, DownstreamAuth auth) {
		if (auth instanceof DownstreamAuth.BearerFromEnv bearer) {
			String token = required(connector, bearer.env());
			return (headers, caller, inbound) -> headers.setBearerAuth(token);
		}
		if (auth instanceof DownstreamAuth.HeaderFromEnv header) {
			if (RESERVED_HEADERS.contains(header.header().toLowerCase(Locale.ROOT))) {
				throw new GovernanceConfigurationException(
						"Connector '" + connector + "' sends its credential in header '" + header.header()
								+ "', which is reserved for the transport.",
						"Name the header the API expects for its key, e.g. X-Api-Key or Authorization.");
			}
			String value = required(connector, header.env());
			return (headers, caller, inbound) -> headers.set(header.header(), value);
		}
		if (auth instanceof DownstreamAuth.TokenExchange exchange) {
			if (this.exchanger == null) {
				throw new GovernanceConfigurationException(
						"Connector '" + connector + "' exchanges the caller's token, but no token endpoint is configured.",
						"Set mcp.governance.token-exchange.token-uri, client-id and client-secret.");
			}
			return (headers, caller, inbound) -> headers.setBearerAuth(this.exchanger.tokenFor(caller, inbound, exchange));
		}
		return (headers, caller, inbound) -> {
			// DownstreamAuth.None: a public API.
		};
	}

	private String required(String connector, String variable) {
		String value = this.environment.getProperty(variable);
		if (!StringUtils.hasText(value)) {
			throw new GovernanceConfigurationException(
					"Connector '" + connector + "' needs the environment variable " + variable + ", which is not set.",
					"Set " + variable + " to the API's credential before starting the server.");
		}
		return value;
	}

}
