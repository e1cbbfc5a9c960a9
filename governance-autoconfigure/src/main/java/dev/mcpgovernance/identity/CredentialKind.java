package dev.mcpgovernance.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A kind of credential that MCP callers present: API keys, OAuth access tokens, capability tokens,
 * the STDIO process's key, or one of the application's own. Every bean of this type is a credential
 * the server accepts; the starter collects them in order ({@code @Order} or {@link org.springframework.core.Ordered})
 * wherever credentials matter: the MCP filter chain (and the admin API's, for kinds that say so),
 * the start-up check that refuses an unprotected network bind, the governance report, the RFC 9728
 * document, and the MCP transport context that carries the caller to the tool. Adding a kind takes
 * one bean: implement what applies and leave the rest to the defaults.
 * <p>
 * A request whose credentials more than one kind recognises is refused (401), never served with one
 * of them picked: otherwise a caller holding two credentials would choose whose scopes it runs with.
 */
public interface CredentialKind {

	/** Short lower-case name, shown in the governance report and the info endpoint, e.g. {@code api-key}. */
	String name();

	/**
	 * Whether this kind verifies callers that reach the server over the network. The start-up check
	 * that refuses to listen beyond loopback without authentication counts only such kinds.
	 */
	default boolean verifiesRemoteCallers() {
		return true;
	}

	/**
	 * The credential of this kind that an HTTP request carries, or {@code null} when it carries none.
	 * Never verified here; a kind must not claim another kind's credential (a bearer token of
	 * another shape, say).
	 */
	default String presentedCredential(HttpServletRequest request) {
		return null;
	}

	/**
	 * A reason to refuse a request that carries this kind's credential before the credential is even
	 * checked (it is ambiguous: two such headers, say), or {@code null}. The reason is shown to the caller.
	 */
	default String refusalBeforeAuthentication(HttpServletRequest request) {
		return null;
	}

	/**
	 * Verifies a credential of this kind, as presented over HTTP or in a request's {@link #metaKey()}.
	 * @return the verified caller, or the refusal whose reason is safe to show to the caller (it must
	 * never quote the credential); an outage of whatever verifies it is a refusal too, never a pass
	 */
	default AuthenticationOutcome authenticate(String credential) {
		return new AuthenticationOutcome.Rejected("This server does not accept " + name() + " credentials here.");
	}

	/**
	 * Values the MCP transport context carries next to the verified caller, for the tools and
	 * connectors of the request (an OAuth access token for RFC 8693 token exchange, say). Keys must
	 * not clash with the starter's ({@code mcp.governance.*}) or another kind's.
	 */
	default Map<String, Object> transportContext(String credential) {
		return Map.of();
	}

	/**
	 * Whether its callers can go back to an authorization server for more scopes, so that a call
	 * refused for scope is answered with the MCP step-up challenge (403 {@code insufficient_scope})
	 * rather than the {@code forbidden} tool error.
	 */
	default boolean canStepUp() {
		return false;
	}

	/** Whether the admin API accepts this kind too (it is powerful: off unless a kind says so). */
	default boolean acceptedOnAdminApi() {
		return false;
	}

	/** Authorization servers whose tokens this kind accepts, listed in the RFC 9728 document. */
	default List<String> authorizationServers() {
		return List.of();
	}

	/**
	 * Key of a {@code tools/call} request's {@code params._meta} that carries this kind's credential
	 * where requests have no headers (STDIO), or {@code null}. The handler never sees it.
	 */
	default String metaKey() {
		return null;
	}

	/**
	 * The caller of a transport that serves one client per process (STDIO), asked only when neither
	 * the transport context nor a {@link #metaKey()} names a caller. Empty for per-request credentials.
	 */
	default Optional<CallerIdentity> processCaller() {
		return Optional.empty();
	}

}
