package dev.mcpgovernance.outbound;

import java.util.List;
import java.util.Objects;

/**
 * How a connector authenticates to the API behind it. The caller's own credential is never passed
 * through: a connector either uses a service identity of its own ({@link BearerFromEnv},
 * {@link HeaderFromEnv}) or exchanges the caller's token for one made for the downstream API
 * ({@link TokenExchange}).
 */
public sealed interface DownstreamAuth {

	/** No credential: for public APIs. */
	static DownstreamAuth none() {
		return new None();
	}

	/** {@code Authorization: Bearer <value of env>}, checked at start-up. */
	static DownstreamAuth bearerFromEnv(String env) {
		return new BearerFromEnv(env);
	}

	/** {@code <header>: <value of env>}, checked at start-up. */
	static DownstreamAuth headerFromEnv(String header, String env) {
		return new HeaderFromEnv(header, env);
	}

	/** The caller's access token exchanged (RFC 8693) for one whose audience is the downstream API. */
	static DownstreamAuth tokenExchange(String audience, List<String> scopes) {
		return new TokenExchange(audience, scopes);
	}

	/** No credential. */
	record None() implements DownstreamAuth {
	}

	/** @param env the environment variable (or property) holding the service's bearer token */
	record BearerFromEnv(String env) implements DownstreamAuth {

		public BearerFromEnv {
			Objects.requireNonNull(env, "env");
		}

	}

	/**
	 * @param header the header to send, e.g. {@code X-Api-Key}
	 * @param env the environment variable (or property) holding its value
	 */
	record HeaderFromEnv(String header, String env) implements DownstreamAuth {

		public HeaderFromEnv {
			Objects.requireNonNull(header, "header");
			Objects.requireNonNull(env, "env");
		}

	}

	/**
	 * @param audience the downstream API, as the authorization server names it
	 * @param scopes the scopes to ask for; empty to let the authorization server decide
	 */
	record TokenExchange(String audience, List<String> scopes) implements DownstreamAuth {

		public TokenExchange {
			Objects.requireNonNull(audience, "audience");
			scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
		}

	}

}
