package dev.mcpgovernance.identity;

import java.util.Map;

import jakarta.servlet.ServletRequest;

/**
 * The caller the security filter chain verified for one HTTP request, with what its credential's
 * {@link CredentialKind} adds to the MCP transport context (e.g. the caller's own OAuth token, for
 * connectors that exchange it). It is the one value that carries the caller from the chain to the
 * per-caller rate limit, the session binding and the MCP transport context: whoever needs the caller
 * of a request asks {@link #of(ServletRequest)}, and no request attribute is read by name.
 *
 * @param identity the verified caller
 * @param transportContext what the credential's kind adds to the transport context, possibly empty
 */
public record VerifiedCaller(CallerIdentity identity, Map<String, Object> transportContext) {

	private static final String ATTRIBUTE = VerifiedCaller.class.getName();

	public VerifiedCaller {
		if (identity == null) {
			throw new IllegalArgumentException("A verified caller needs an identity");
		}
		transportContext = (transportContext != null) ? Map.copyOf(transportContext) : Map.of();
	}

	/** Leaves this caller on the request, for everything after the chain's verified-caller gate. */
	public void attachTo(ServletRequest request) {
		request.setAttribute(ATTRIBUTE, this);
	}

	/** The caller verified for the request, or {@code null} when the chain verified none. */
	public static VerifiedCaller of(ServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof VerifiedCaller caller) ? caller : null;
	}

	/** The identity of the caller verified for the request, or {@code null} when the chain verified none. */
	public static CallerIdentity identityOf(ServletRequest request) {
		VerifiedCaller caller = of(request);
		return (caller != null) ? caller.identity() : null;
	}

}
