package dev.mcpgovernance.resource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.ToolError;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import reactor.core.publisher.Mono;

/**
 * Governs what the MCP SDK answers without a specification of the application's: a
 * {@code resources/subscribe} and {@code resources/unsubscribe} (the SDK keeps the subscriptions
 * itself) and a {@code completion/complete} (the SDK checks the prompt or template exists, answering
 * "not found" with the caller's text, before any completion handler runs). The transports'
 * decorators hand each request to {@link #gated} before the server dispatches it: a caller who may
 * not read the resource or get the prompt is refused with the same JSON-RPC error a read or get
 * would get, and audited; an allowed (un)subscription is audited here, an allowed completion by its
 * governed handler ({@link ResourceGovernor#complete}), once it knows how the completion ended.
 * Each {@code notifications/resources/updated} the server sends passes {@link #delivers}: only a
 * session whose caller subscribed through this gate and may still read the resource is told of it.
 */
public class ResourceRequestGate {

	private final ResourceGovernor governor;

	private final RequestCallers callers;

	/** The caller of each session that subscribed through the gate; a session's caller never changes. */
	private final Map<String, CallerIdentity> subscribers = new ConcurrentHashMap<>();

	public ResourceRequestGate(ResourceGovernor governor, RequestCallers callers) {
		this.governor = governor;
		this.callers = callers;
	}

	/** Whether {@link #gated} decides this message, so a decorator can pass others through untouched. */
	public boolean governs(McpSchema.JSONRPCMessage message) {
		return message instanceof JSONRPCRequest request
				&& (McpSchema.METHOD_RESOURCES_SUBSCRIBE.equals(request.method())
						|| McpSchema.METHOD_RESOURCES_UNSUBSCRIBE.equals(request.method())
						|| McpSchema.METHOD_COMPLETION_COMPLETE.equals(request.method()));
	}

	/**
	 * {@code handling}, or the refusal of the request sent by {@code refuse}, decided in the
	 * transport context of the subscriber.
	 * @param sessionId the request's session; {@code null} on the stateless transport
	 */
	public <T> Mono<T> gated(String sessionId, McpSchema.JSONRPCMessage message, Mono<T> handling,
			Function<JSONRPCResponse, Mono<T>> refuse) {
		if (!governs(message)) {
			return handling;
		}
		return Mono.deferContextual((context) -> {
			JSONRPCResponse refusal = refusal(sessionId, (JSONRPCRequest) message,
					context.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY));
			return (refusal != null) ? refuse.apply(refusal) : handling;
		});
	}

	/**
	 * The error answer to a subscription or completion the caller may not make; {@code null} when
	 * it may go on (or the message is none of these).
	 * @param sessionId the request's session; {@code null} on the stateless transport
	 */
	@SuppressWarnings("unchecked")
	public JSONRPCResponse refusal(String sessionId, JSONRPCRequest request, McpTransportContext context) {
		if (!governs(request)) {
			return null;
		}
		Map<String, Object> params = (request.params() instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
		Map<String, Object> meta = (params.get("_meta") instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
		CallerIdentity caller = this.callers.identityOf(context, meta);
		boolean completion = McpSchema.METHOD_COMPLETION_COMPLETE.equals(request.method());
		Target target = completion ? completed(params) : subscribed(params);
		ToolError error = this.governor.refusal(target.kind(), target.key(), caller);
		if (error != null || !completion) {
			String name = (target.key() != null) ? request.method() + " " + target.key() : request.method();
			this.governor.report(name, target.kind(), target.key(), caller, error, target.arguments());
		}
		if (error != null) {
			return JSONRPCResponse.error(request.id(), ResourceErrors.toJsonRpc(error));
		}
		if (sessionId != null && McpSchema.METHOD_RESOURCES_SUBSCRIBE.equals(request.method())) {
			this.subscribers.put(sessionId, caller);
		}
		return null;
	}

	/**
	 * Whether a notification the server sends to one session may reach it: a resource update only
	 * when the session's caller subscribed through this gate and may read that resource now; every
	 * other notification as it is.
	 */
	public boolean delivers(String sessionId, String method, Object params) {
		if (!McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED.equals(method)) {
			return true;
		}
		CallerIdentity caller = this.subscribers.get(sessionId);
		String uri = (params instanceof McpSchema.ResourcesUpdatedNotification updated) ? updated.uri()
				: (params instanceof Map<?, ?> map && map.get("uri") instanceof String text) ? text : null;
		if (caller == null || uri == null) {
			// Fail closed: a subscriber the gate never saw, or an update that names no resource.
			return false;
		}
		String key = this.governor.registry().resourceKeyFor(uri).orElse(null);
		return this.governor.permits(GovernedKind.RESOURCE, key, caller);
	}

	/** Forgets a session's subscriber, once its session is gone. */
	public void forget(String sessionId) {
		this.subscribers.remove(sessionId);
	}

	private Target subscribed(Map<String, Object> params) {
		Object uri = params.get("uri");
		String key = (uri instanceof String text) ? this.governor.registry().resourceKeyFor(text).orElse(null) : null;
		Map<String, Object> arguments = (key != null)
				? new LinkedHashMap<>(this.governor.registry().variables(key, (String) uri)) : params;
		return new Target(GovernedKind.RESOURCE, key, arguments);
	}

	private Target completed(Map<String, Object> params) {
		Map<?, ?> ref = (params.get("ref") instanceof Map<?, ?> map) ? map : Map.of();
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("argument", params.get("argument"));
		GovernedKind kind = McpSchema.PromptReference.TYPE.equals(ref.get("type")) ? GovernedKind.PROMPT
				: GovernedKind.RESOURCE;
		Object named = ref.get((kind == GovernedKind.PROMPT) ? "name" : "uri");
		String key = (named instanceof String text) ? this.governor.registry().completedKey(kind, text) : null;
		return new Target(kind, key, arguments);
	}

	/** The governed resource or prompt a request concerns ({@code key} null for none) and what is audited of it. */
	private record Target(GovernedKind kind, String key, Map<String, Object> arguments) {
	}

}
