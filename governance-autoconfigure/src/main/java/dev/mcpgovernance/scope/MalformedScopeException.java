package dev.mcpgovernance.scope;

/** A scope text that is not {@code domain:resource:action}; the message names it. */
public class MalformedScopeException extends IllegalArgumentException {

	private final String scope;

	private final String reason;

	public MalformedScopeException(String scope, String reason) {
		super((scope != null) ? "Malformed scope '" + scope + "': " + reason : "Malformed scope: " + reason);
		this.scope = scope;
		this.reason = reason;
	}

	/** The offending text, or {@code null} when it was not known where the error was found. */
	public String scope() {
		return this.scope;
	}

	public String reason() {
		return this.reason;
	}

}
