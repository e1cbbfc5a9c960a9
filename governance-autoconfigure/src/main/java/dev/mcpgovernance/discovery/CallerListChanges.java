package dev.mcpgovernance.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.resource.CallerResourceView;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ListPromptsResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourceTemplatesResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Delivers the server's {@code list_changed} notifications (tools, resources, prompts) per session,
 * and only where the list that session's caller is shown has changed: the MCP SDK broadcasts them
 * to every session whenever anything is added or removed, which would tell a caller of a resource,
 * prompt or tool it may not see. Each session remembers what its caller was last shown of each list
 * (taken when the session opens or first handles a request, then on every delivery); a
 * notification goes to a session when the caller's cut of the server's current list differs from
 * it. A session whose caller is not known, or whose requests come from more than one caller, is
 * told nothing (fail closed); so is every session while the running server cannot be found.
 */
class CallerListChanges {

	private static final Log logger = LogFactory.getLog(CallerListChanges.class);

	private static final Set<String> LIST_CHANGED = Set.of(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED,
			McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED, McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);

	private final CallerToolView tools;

	private final CallerResourceView resources;

	private final ObjectProvider<McpSyncServer> server;

	private final Map<String, SessionLists> sessions = new ConcurrentHashMap<>();

	/**
	 * @param resources what cuts the resource and prompt lists down per caller; {@code null} when they
	 * are not governed (then their changes reach every session with a known caller)
	 * @param server the running server, whose lists are compared; looked up when needed, since the
	 * server is built after its transport
	 */
	CallerListChanges(CallerToolView tools, CallerResourceView resources, ObjectProvider<McpSyncServer> server) {
		this.tools = tools;
		this.resources = resources;
		this.server = server;
	}

	/**
	 * A session opened by {@code caller}; {@code null} when the opening request carried none that is
	 * known here (STDIO: its caller comes with its first request).
	 */
	void opened(String sessionId, CallerIdentity caller) {
		SessionLists lists = new SessionLists(caller);
		this.sessions.put(sessionId, lists);
		if (caller != null) {
			remember(lists, caller).subscribe(null, (ex) -> logFailure("remember the lists of a new session", ex));
		}
	}

	/**
	 * The caller of a request the session handles: the first one binds a session opened without a
	 * caller; one of another credential unbinds it for good; the owner's own (a refreshed token) keeps
	 * the session's caller current.
	 */
	Mono<Void> seen(String sessionId, CallerIdentity caller) {
		SessionLists lists = this.sessions.get(sessionId);
		if (lists == null) {
			return Mono.empty();
		}
		CallerIdentity bound = lists.bind(caller);
		return (bound != null && lists.shown.isEmpty()) ? remember(lists, bound) : Mono.empty();
	}

	/** The session is gone: nothing more is delivered to it. */
	void closed(String sessionId) {
		this.sessions.remove(sessionId);
	}

	/**
	 * Sends a notification the server broadcasts: a {@code list_changed} to each session whose
	 * caller's list changed, anything else through {@code delegate} as the server sent it.
	 */
	Mono<Void> notifyClients(String method, Object params, McpServerTransportProviderBase delegate) {
		if (!LIST_CHANGED.contains(method)) {
			return delegate.notifyClients(method, params);
		}
		McpAsyncServer running = running();
		if (running == null) {
			// Fail closed: without the server's lists no session can be shown to be allowed the change.
			return Mono.empty();
		}
		return lists(running, method).flatMap((current) -> {
			Map<CallerIdentity, Object> visibleByCaller = new HashMap<>();
			List<Mono<Void>> deliveries = new ArrayList<>();
			this.sessions.forEach((sessionId, lists) -> {
				CallerIdentity caller = lists.caller();
				if (caller == null) {
					return;
				}
				Object visible = visibleByCaller.computeIfAbsent(caller, (key) -> current.apply(key));
				if (lists.changed(method, visible)) {
					deliveries.add(delegate.notifyClient(sessionId, method, params)
						.onErrorResume((ex) -> logFailure("deliver " + method, ex)));
				}
			});
			return Mono.when(deliveries);
		});
	}

	/** What the caller is shown now of every list, remembered as the session's starting point. */
	private Mono<Void> remember(SessionLists lists, CallerIdentity caller) {
		McpAsyncServer running = running();
		if (running == null) {
			return Mono.empty();
		}
		return Mono.when(LIST_CHANGED.stream()
			.map((method) -> lists(running, method).doOnNext((current) -> lists.shownFirst(method, current.apply(caller))))
			.toList());
	}

	/** The server's current list behind a {@code list_changed} notification, as a function of the caller it is cut for. */
	private Mono<Function<CallerIdentity, Object>> lists(McpAsyncServer running, String method) {
		if (McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED.equals(method)) {
			return running.listTools().collectList().map((all) -> (caller) -> this.tools.visible(all, caller));
		}
		if (McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED.equals(method)) {
			return running.listPrompts()
				.collectList()
				.map((all) -> (caller) -> visible(new ListPromptsResult(all, null), caller));
		}
		return Mono.zip(running.listResources().collectList(), running.listResourceTemplates().collectList())
			.map((all) -> (caller) -> List.of(visible(new ListResourcesResult(all.getT1(), null), caller),
					visible(new ListResourceTemplatesResult(all.getT2(), null), caller)));
	}

	private Object visible(Object list, CallerIdentity caller) {
		return (this.resources != null) ? this.resources.visible(list, caller) : list;
	}

	private McpAsyncServer running() {
		try {
			McpSyncServer sync = this.server.getIfAvailable();
			return (sync != null) ? sync.getAsyncServer() : null;
		}
		catch (RuntimeException ex) {
			// Still being created (a STDIO session opens while the server is built): asked again later.
			return null;
		}
	}

	private static <T> Mono<T> logFailure(String what, Throwable ex) {
		// The type is enough to find the cause; the message may hold data.
		logger.warn("Could not " + what + " (" + ex.getClass().getName() + ")");
		return Mono.empty();
	}

	/** One session's caller and what it was last shown of each list. */
	private static final class SessionLists {

		private volatile CallerIdentity caller;

		private volatile boolean conflicted;

		private final Map<String, Object> shown = new ConcurrentHashMap<>();

		SessionLists(CallerIdentity caller) {
			this.caller = caller;
		}

		CallerIdentity caller() {
			return this.conflicted ? null : this.caller;
		}

		/** Binds the session to {@code caller}, or unbinds it when the caller is another; the caller bound after. */
		synchronized CallerIdentity bind(CallerIdentity caller) {
			CallerIdentity current = this.caller;
			if (caller == null || this.conflicted) {
				return caller();
			}
			if (current == null || (current.keyId().equals(caller.keyId()) && current.ownerId().equals(caller.ownerId()))) {
				this.caller = caller;
			}
			else {
				// A session used by two callers: whose list it would be told about cannot be known.
				this.conflicted = true;
			}
			return caller();
		}

		void shownFirst(String method, Object visible) {
			this.shown.putIfAbsent(method, visible);
		}

		/** Whether {@code visible} differs from what was last shown; remembered as shown when it does. */
		synchronized boolean changed(String method, Object visible) {
			Object before = this.shown.put(method, visible);
			return before != null && !Objects.equals(before, visible);
		}

	}

}
