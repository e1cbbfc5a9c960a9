package dev.mcpgovernance.identity;

import java.util.Map;

import dev.mcpgovernance.scope.Scope;

/**
 * What a delegated credential (a capability token) narrows beyond the caller's scopes: which tools
 * and scopes each holder in the chain allowed, until when, and the resource limits it set. The
 * governor asks {@link #permits} on every tool call, so a restriction cannot be lost on the way to
 * the handler. Implementations are immutable and safe to share between threads.
 */
public interface Delegation {

	/** How many times the credential was attenuated after it was minted: 0 for a root token. */
	int depth();

	/**
	 * Resource limits for the handler (such as {@code max_rows}), the smallest value of every block
	 * in the chain for each name.
	 */
	Map<String, Long> limits();

	/**
	 * Whether every block of the credential allows this call now. Answers {@code false} when in
	 * doubt.
	 * @param toolName the tool being called
	 * @param requiredScope the scope the tool requires, or {@code null} for an ungoverned tool
	 */
	boolean permits(String toolName, Scope requiredScope);

}
