package dev.mcpgovernance.discovery;

import java.util.List;
import java.util.function.Function;

import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.VerifiedCaller;
import dev.mcpgovernance.resource.ResourceRequestGate;
import dev.mcpgovernance.session.McpSessionListener;
import dev.mcpgovernance.session.StreamableSessions;
import org.aopalliance.intercept.MethodInterceptor;
import reactor.core.publisher.Mono;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Puts a {@link CallerToolView} between the MCP server and a session-based transport (streamable
 * HTTP, SSE, STDIO): the server hands its session factory to the transport, and this decorator wraps
 * it so that every answer a session sends passes through the view with the caller of the request
 * it answers (from the Reactor context the transport fills with the MCP transport context), and
 * every request a session handles passes {@link UnknownToolCalls} and the {@link ResourceRequestGate}
 * first (which may answer a subscription or completion itself, refusing it), and every resource
 * update the server sends to one session passes the gate. The {@code list_changed} notifications
 * the server broadcasts go only to the sessions whose caller's list changed ({@link CallerListChanges},
 * which learns each session's caller when it opens and with each request). SDK 0.18 has no hook of its
 * own for a per-caller {@code tools/list}; the session factory is the seam every transport shares;
 * the {@link McpSessionListener} learns of each session there too.
 */
public sealed interface CallerScopedTransportProvider extends McpServerTransportProviderBase
		permits CallerScopedTransportProvider.Sessions, CallerScopedTransportProvider.Streamable {

	/**
	 * The decorator that fits the transport's kind, telling {@code sessions} of every session opened,
	 * and {@code answerable} (when there is one) of every streamable session opened and closed.
	 */
	static CallerScopedTransportProvider of(McpServerTransportProviderBase transport, CallerToolView view,
			UnknownToolCalls unknownTools, McpSessionListener sessions, ResourceRequestGate gate,
			CallerListChanges changes, StreamableSessions answerable) {
		if (transport instanceof McpStreamableServerTransportProvider streamable) {
			return new Streamable(streamable, view, unknownTools, sessions, gate, changes, answerable);
		}
		if (transport instanceof McpServerTransportProvider provider) {
			return new Sessions(provider, view, unknownTools, sessions, gate, changes);
		}
		throw new IllegalArgumentException("Unsupported MCP transport provider " + transport.getClass().getName());
	}

	/** The decorated transport. */
	McpServerTransportProviderBase delegate();

	/**
	 * SSE and STDIO: one transport per session, decorated when the session is created; the session is
	 * proxied so that each message it handles is inspected.
	 */
	record Sessions(McpServerTransportProvider delegate, CallerToolView view, UnknownToolCalls unknownTools,
			McpSessionListener sessions, ResourceRequestGate gate, CallerListChanges changes)
			implements CallerScopedTransportProvider, McpServerTransportProvider {

		@Override
		public void setSessionFactory(McpServerSession.Factory sessionFactory) {
			this.delegate.setSessionFactory((transport) -> {
				ScopedTransport scoped = new ScopedTransport(transport, this.view);
				McpServerSession session = sessionFactory.create(scoped);
				McpServerSession inspecting = inspecting(session, scoped);
				// Closed through the proxy, so that the gate and the list changes forget the session too.
				this.sessions.opened(session.getId(), inspecting::closeGracefully);
				this.changes.opened(session.getId(), openingCaller());
				return inspecting;
			});
		}

		@SuppressWarnings("unchecked")
		private McpServerSession inspecting(McpServerSession session, McpServerTransport transport) {
			ProxyFactory proxy = new ProxyFactory(session);
			proxy.setProxyTargetClass(true);
			proxy.addAdvice((MethodInterceptor) (invocation) -> {
				Object[] arguments = invocation.getArguments();
				if (invocation.getMethod().getName().equals("handle") && arguments.length == 1
						&& arguments[0] instanceof McpSchema.JSONRPCMessage message) {
					Mono<Void> handling = this.unknownTools.inspected(message, (Mono<Void>) invocation.proceed());
					return seen(this.changes, this.view, session.getId(),
							gated(this.gate, session.getId(), message, handling, transport::sendMessage));
				}
				forgetOnClose(this.gate, this.changes, session.getId(), invocation.getMethod().getName());
				return invocation.proceed();
			});
			return (McpServerSession) proxy.getProxy(McpServerSession.class.getClassLoader());
		}

		@Override
		public Mono<Void> notifyClients(String method, Object params) {
			return this.changes.notifyClients(method, params, this.delegate);
		}

		@Override
		public Mono<Void> notifyClient(String sessionId, String method, Object params) {
			return delivered(this.gate, sessionId, method, params, this.delegate);
		}

		@Override
		public void close() {
			this.delegate.close();
		}

		@Override
		public Mono<Void> closeGracefully() {
			return this.delegate.closeGracefully();
		}

		@Override
		public List<String> protocolVersions() {
			return this.delegate.protocolVersions();
		}

	}

	/**
	 * Streamable HTTP: the transport makes one stream per request and hands it to the session, so
	 * the session is proxied to decorate each stream (and inspect its request); the initialize answer
	 * gets the instructions. {@code answerable} ({@code null} without one) holds each session, as
	 * proxied, while it is open, so that the starter can answer its requests on their own thread.
	 */
	record Streamable(McpStreamableServerTransportProvider delegate, CallerToolView view,
			UnknownToolCalls unknownTools, McpSessionListener sessions, ResourceRequestGate gate,
			CallerListChanges changes, StreamableSessions answerable) implements CallerScopedTransportProvider, McpStreamableServerTransportProvider {

		@Override
		public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
			this.delegate.setSessionFactory((initializeRequest) -> {
				McpStreamableServerSession.McpStreamableServerSessionInit init = sessionFactory
					.startSession(initializeRequest);
				McpStreamableServerSession session = init.session();
				McpStreamableServerSession scoped = scoped(session);
				// Closed through the proxy, so that the gate and the list changes forget the session too.
				this.sessions.opened(session.getId(), scoped::closeGracefully);
				this.changes.opened(session.getId(), openingCaller());
				if (this.answerable != null) {
					this.answerable.opened(scoped);
				}
				return new McpStreamableServerSession.McpStreamableServerSessionInit(scoped,
						init.initResult().map(this.view::withInstructions));
			});
		}

		@SuppressWarnings("unchecked")
		private McpStreamableServerSession scoped(McpStreamableServerSession session) {
			ProxyFactory proxy = new ProxyFactory(session);
			proxy.setProxyTargetClass(true);
			proxy.addAdvice((MethodInterceptor) (invocation) -> {
				Object[] arguments = invocation.getArguments();
				if (invocation.getMethod().getName().equals("responseStream") && arguments.length == 2
						&& arguments[1] instanceof McpStreamableServerTransport stream) {
					arguments[1] = new ScopedStreamableTransport(stream, this.view);
					if (arguments[0] instanceof McpSchema.JSONRPCRequest request) {
						Mono<Void> handling = this.unknownTools.inspected(request, (Mono<Void>) invocation.proceed());
						return seen(this.changes, this.view, session.getId(), gated(this.gate, session.getId(), request,
								handling, (refusal) -> stream.sendMessage(refusal).then(stream.closeGracefully())));
					}
				}
				forgetOnClose(this.gate, this.changes, session.getId(), invocation.getMethod().getName());
				if (this.answerable != null && closes(invocation.getMethod().getName())) {
					this.answerable.closed(session.getId());
				}
				return invocation.proceed();
			});
			return (McpStreamableServerSession) proxy.getProxy(McpStreamableServerSession.class.getClassLoader());
		}

		@Override
		public Mono<Void> notifyClients(String method, Object params) {
			return this.changes.notifyClients(method, params, this.delegate);
		}

		@Override
		public Mono<Void> notifyClient(String sessionId, String method, Object params) {
			return delivered(this.gate, sessionId, method, params, this.delegate);
		}

		@Override
		public void close() {
			this.delegate.close();
		}

		@Override
		public Mono<Void> closeGracefully() {
			return this.delegate.closeGracefully();
		}

		@Override
		public List<String> protocolVersions() {
			return this.delegate.protocolVersions();
		}

	}

	/** {@code handling}, unless the gate answers the request itself with a refusal sent by {@code refuse}. */
	private static Mono<Void> gated(ResourceRequestGate gate, String sessionId, McpSchema.JSONRPCMessage message,
			Mono<Void> handling, Function<McpSchema.JSONRPCResponse, Mono<Void>> refuse) {
		return (gate != null) ? gate.gated(sessionId, message, handling, refuse) : handling;
	}

	/** A notification for one session (a resource update), sent only when the gate lets it reach the session. */
	private static Mono<Void> delivered(ResourceRequestGate gate, String sessionId, String method, Object params,
			McpServerTransportProviderBase delegate) {
		if (gate != null && !gate.delivers(sessionId, method, params)) {
			return Mono.empty();
		}
		return delegate.notifyClient(sessionId, method, params);
	}

	/** The gate forgets a session's subscriber, and the list changes the session, once it is deleted or closed. */
	private static void forgetOnClose(ResourceRequestGate gate, CallerListChanges changes, String sessionId,
			String method) {
		if (closes(method)) {
			if (gate != null) {
				gate.forget(sessionId);
			}
			changes.closed(sessionId);
		}
	}

	/** Whether a session's method of that name deletes or closes it. */
	private static boolean closes(String method) {
		return method.equals("delete") || method.equals("close") || method.equals("closeGracefully");
	}

	/** {@code handling}, after the list changes learnt the request's caller (from its transport context). */
	private static Mono<Void> seen(CallerListChanges changes, CallerToolView view, String sessionId,
			Mono<Void> handling) {
		return Mono.deferContextual((context) -> changes
			.seen(sessionId, view.callerOf(context.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY)))
			.then(handling));
	}

	/**
	 * The verified caller of the HTTP request opening a session, which the security filter left on it;
	 * {@code null} without one (STDIO).
	 */
	private static CallerIdentity openingCaller() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)
				? VerifiedCaller.identityOf(request.getRequest()) : null;
	}

	/** A session's transport whose answers pass through the view. */
	class ScopedTransport implements McpServerTransport {

		private final McpServerTransport delegate;

		private final CallerToolView view;

		ScopedTransport(McpServerTransport delegate, CallerToolView view) {
			this.delegate = delegate;
			this.view = view;
		}

		CallerToolView view() {
			return this.view;
		}

		@Override
		public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
			return scoped(message, this.view).flatMap(this.delegate::sendMessage);
		}

		@Override
		public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
			return this.delegate.unmarshalFrom(data, typeRef);
		}

		@Override
		public void close() {
			this.delegate.close();
		}

		@Override
		public Mono<Void> closeGracefully() {
			return this.delegate.closeGracefully();
		}

		@Override
		public List<String> protocolVersions() {
			return this.delegate.protocolVersions();
		}

		static Mono<McpSchema.JSONRPCMessage> scoped(McpSchema.JSONRPCMessage message, CallerToolView view) {
			if (!view.rewrites(message)) {
				return Mono.just(message);
			}
			return Mono.deferContextual((context) -> Mono.just(view.rewrite(message,
					context.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY))));
		}

	}

	/** A request's stream whose answer passes through the view. */
	final class ScopedStreamableTransport extends ScopedTransport implements McpStreamableServerTransport {

		private final McpStreamableServerTransport delegate;

		ScopedStreamableTransport(McpStreamableServerTransport delegate, CallerToolView view) {
			super(delegate, view);
			this.delegate = delegate;
		}

		@Override
		public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
			return scoped(message, view()).flatMap((scoped) -> this.delegate.sendMessage(scoped, messageId));
		}

	}

}
