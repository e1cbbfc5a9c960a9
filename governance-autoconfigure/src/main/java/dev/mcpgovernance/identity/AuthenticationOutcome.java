package dev.mcpgovernance.identity;

/** What became of a presented credential. */
public sealed interface AuthenticationOutcome {

	record Authenticated(CallerIdentity identity) implements AuthenticationOutcome {
	}

	/** The credential was presented and refused; {@code reason} is safe to show to the caller. */
	record Rejected(String reason) implements AuthenticationOutcome {
	}

}
