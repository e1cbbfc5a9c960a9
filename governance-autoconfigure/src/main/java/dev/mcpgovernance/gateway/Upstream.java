package dev.mcpgovernance.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.outbound.RequestAuthorizer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;

/**
 * One upstream with its connection, the sessions of its callers and what it listed last. A failed
 * listing keeps what the one before found (their calls find the upstream unavailable) and the next
 * refresh connects anew.
 */
final class Upstream {

	private static final Log logger = LogFactory.getLog(Upstream.class);

	private final UpstreamDefinition definition;

	private final HttpHeaders serviceHeaders;

	private final RequestAuthorizer callAuthorizer;

	private final McpGateway.Settings settings;

	// Without the resource governance its resources and prompts are of no use, so they are not listed.
	private final boolean listsResources;

	private final CallerSessions callerSessions;

	private final Runnable listChanged;

	private volatile UpstreamClient client;

	private volatile List<McpSchema.Tool> tools = List.of();

	private volatile UpstreamResources.Listing listing = UpstreamResources.Listing.NONE;

	private volatile boolean up;

	private volatile Instant lastRefresh;

	/**
	 * @param serviceHeaders the service credential, sent on every request of the shared session
	 * @param callAuthorizer the credential of each tool call (an exchanged token, say)
	 * @param redact what the upstream's text passes through on its way to a caller
	 * @param listChanged told when the upstream says its tools, resources or prompts changed, on the
	 * transport's thread: it must not block
	 */
	Upstream(UpstreamDefinition definition, HttpHeaders serviceHeaders, RequestAuthorizer callAuthorizer,
			McpGateway.Settings settings, UnaryOperator<String> redact, boolean listsResources, Runnable listChanged) {
		this.definition = definition;
		this.serviceHeaders = serviceHeaders;
		this.callAuthorizer = callAuthorizer;
		this.settings = settings;
		this.listsResources = listsResources;
		this.listChanged = listChanged;
		this.callerSessions = new CallerSessions(settings.maxCallerSessions(), settings.callerSessionIdleTimeout(),
				redact);
	}

	/**
	 * A call on the caller's own session with this upstream. Empty, so that the call takes the
	 * shared session and nothing is forwarded, when there is no caller to bind it to (no session
	 * on this server, no verified identity) or every caller session has a call in progress.
	 */
	Optional<CallerSessions.Lease> callerSession(CallerIdentity caller, McpSyncServerExchange exchange,
			Object progressToken) {
		if (caller == null || exchange == null || exchange.sessionId() == null) {
			return Optional.empty();
		}
		return this.callerSessions.acquire(
				new CallerSessions.CallerKey(exchange.sessionId(), caller.keyId(), caller.ownerId()),
				exchange.getClientCapabilities(),
				(channel) -> new UpstreamClient(this.definition, this.serviceHeaders, this.settings.connectTimeout(),
						this.settings.requestTimeout(), channel),
				exchange, progressToken);
	}

	CallerSessions callerSessions() {
		return this.callerSessions;
	}

	/** Lists the tools (and the resources and prompts), connecting first when there is no session. */
	void refresh() {
		this.lastRefresh = Instant.now();
		try {
			if (this.client == null) {
				this.client = new UpstreamClient(this.definition, this.serviceHeaders, this.settings.connectTimeout(),
						this.settings.requestTimeout(), this.listChanged);
			}
			this.tools = List.copyOf(this.client.listTools());
			this.up = true;
		}
		catch (RuntimeException ex) {
			this.up = false;
			logger.warn("Upstream '" + this.definition.domain() + "' could not be listed (" + ex.getClass().getName()
					+ "); retried at the next refresh");
			disconnect();
			return;
		}
		if (!this.listsResources) {
			return;
		}
		try {
			this.listing = new UpstreamResources.Listing(List.copyOf(this.client.listResources()),
					List.copyOf(this.client.listResourceTemplates()), List.copyOf(this.client.listPrompts()),
					this.client.capabilities().completions() != null);
		}
		catch (RuntimeException ex) {
			// Its tools are fine; its resources and prompts stay as listed before.
			logger.warn("Upstream '" + this.definition.domain() + "' resources or prompts could not be listed ("
					+ ex.getClass().getName() + "); retried at the next refresh");
		}
	}

	UpstreamResources.Listing listing() {
		return this.listing;
	}

	void disconnect() {
		this.callerSessions.closeAll();
		UpstreamClient current = this.client;
		this.client = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (RuntimeException ex) {
				// Closing a broken session may fail too; nothing is left to release.
			}
		}
	}

	/**
	 * @param exposedTools how many of its tools this server exposes
	 * @param breaker its circuit breaker's state
	 */
	UpstreamStatus status(int exposedTools, String breaker) {
		return new UpstreamStatus(this.definition.domain(), this.definition.description(), this.up, exposedTools,
				breaker, this.lastRefresh, this.up ? null : (this.lastRefresh != null) ? "unreachable" : "not_refreshed");
	}

	UpstreamDefinition definition() {
		return this.definition;
	}

	/** The service credential's header names: a hook's header by one of these names is not sent. */
	HttpHeaders serviceHeaders() {
		return this.serviceHeaders;
	}

	RequestAuthorizer callAuthorizer() {
		return this.callAuthorizer;
	}

	/** The shared session, {@code null} while the upstream is not connected. */
	UpstreamClient client() {
		return this.client;
	}

	List<McpSchema.Tool> tools() {
		return this.tools;
	}

}
