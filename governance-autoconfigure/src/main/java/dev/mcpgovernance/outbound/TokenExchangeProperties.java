package dev.mcpgovernance.outbound;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * This server as a client of the authorization server, for connectors that exchange the caller's
 * token (RFC 8693).
 */
@Validated
@ConfigurationProperties(prefix = TokenExchangeProperties.PREFIX)
public class TokenExchangeProperties {

	public static final String PREFIX = "mcp.governance.token-exchange";

	/** Token endpoint of the authorization server; token exchange is off while it is not set. */
	private URI tokenUri;

	/** Client id of this server at the authorization server (client_secret_basic). */
	private String clientId;

	/** Client secret of this server at the authorization server. */
	private String clientSecret;

	/** Connect and read timeout of a token exchange request. */
	@NotNull
	private Duration timeout = Duration.ofSeconds(5);

	public URI getTokenUri() {
		return this.tokenUri;
	}

	public void setTokenUri(URI tokenUri) {
		this.tokenUri = tokenUri;
	}

	public String getClientId() {
		return this.clientId;
	}

	public void setClientId(String clientId) {
		this.clientId = clientId;
	}

	public String getClientSecret() {
		return this.clientSecret;
	}

	public void setClientSecret(String clientSecret) {
		this.clientSecret = clientSecret;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
