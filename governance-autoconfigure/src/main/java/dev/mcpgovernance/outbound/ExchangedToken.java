package dev.mcpgovernance.outbound;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token obtained by token exchange, with the time it stops being valid.
 * {@link #toString()} never shows the token.
 */
public record ExchangedToken(String value, Instant expiresAt) {

	public ExchangedToken {
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(expiresAt, "expiresAt");
	}

	@Override
	public String toString() {
		return "ExchangedToken[expiresAt=" + this.expiresAt + "]";
	}

}
