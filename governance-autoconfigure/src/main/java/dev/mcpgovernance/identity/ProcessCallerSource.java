package dev.mcpgovernance.identity;

import java.util.Optional;

/**
 * The caller of a transport that serves one client per process (STDIO), where no request carries
 * credentials of its own. Consulted only when the MCP transport context holds no caller; an HTTP
 * transport never falls back to it, because the bean exists only when the server runs on STDIO.
 */
@FunctionalInterface
public interface ProcessCallerSource {

	/** The verified caller, or empty when the process has none (then every governed tool is refused). */
	Optional<CallerIdentity> caller();

}
