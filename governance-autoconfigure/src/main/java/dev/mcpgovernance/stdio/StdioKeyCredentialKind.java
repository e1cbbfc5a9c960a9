package dev.mcpgovernance.stdio;

import java.util.Optional;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.identity.ProcessCallerSource;

import org.springframework.core.Ordered;

/**
 * The STDIO server's caller: the API key in the process environment, asked when a tool call brings
 * no credential of its own. It verifies no network caller, so it does not count for the bind check.
 */
public class StdioKeyCredentialKind implements CredentialKind, Ordered {

	/** Last of the built-in kinds: it is the fallback when a request names no caller. */
	public static final int ORDER = 500;

	private final ProcessCallerSource source;

	public StdioKeyCredentialKind(ProcessCallerSource source) {
		this.source = source;
	}

	@Override
	public String name() {
		return "stdio-key";
	}

	@Override
	public boolean verifiesRemoteCallers() {
		return false;
	}

	@Override
	public Optional<CallerIdentity> processCaller() {
		return this.source.caller();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
