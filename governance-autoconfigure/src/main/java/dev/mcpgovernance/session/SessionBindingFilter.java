package dev.mcpgovernance.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tools.jackson.databind.JsonNode;
import dev.mcpgovernance.http.GovernedRequestFilter;
import dev.mcpgovernance.http.JsonResponses;
import dev.mcpgovernance.http.JsonRpcMessages;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.VerifiedCaller;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Holds every MCP request that names a session to that session's owner, and every request that may
 * open one to the session limits. It runs after authentication, so the verified caller is known.
 * <ul>
 * <li>A request naming a session (the {@value #SESSION_HEADER} header of streamable HTTP, the
 * {@value #SESSION_PARAMETER} parameter of the legacy SSE message endpoint; every value of both) goes
 * on only when the caller owns each one. Otherwise it gets exactly the answer of an unknown session
 * (404 and the JSON-RPC error of {@link JsonResponses#writeSessionNotFound}), whether the session is unknown, ended or
 * someone else's; the session goes on working for its owner.</li>
 * <li>A request that may open a session (an {@code initialize} POST, a GET of the legacy SSE endpoint)
 * first takes a slot: a caller at its limit gets 429, a full server 503.</li>
 * </ul>
 */
public class SessionBindingFilter extends GovernedRequestFilter {

	static final String SESSION_HEADER = "Mcp-Session-Id";

	static final String SESSION_PARAMETER = "sessionId";

	static final int LIMIT_REACHED = -32000;

	// What the streamable transport answers when its own cap is reached: one answer for a full server.
	static final int SERVER_FULL = -32603;

	private final RequestMatcher mcpEndpoints;

	private final SessionRegistry sessions;

	private final SessionAuditTrail auditTrail;

	/** @param auditTrail records refusals for a mismatch; {@code null} for none */
	public SessionBindingFilter(RequestMatcher mcpEndpoints, SessionRegistry sessions, SessionAuditTrail auditTrail) {
		this.mcpEndpoints = mcpEndpoints;
		this.sessions = sessions;
		this.auditTrail = auditTrail;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		CallerIdentity caller = VerifiedCaller.identityOf(request);
		if (!this.mcpEndpoints.matches(request) || caller == null) {
			chain.doFilter(request, response);
			return;
		}
		List<String> sessionIds = sessionIds(request);
		if (!sessionIds.isEmpty()) {
			useSession(request, response, chain, caller, sessionIds);
		}
		else if (mayOpenSession(request)) {
			openSession(request, response, chain, caller);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	private void useSession(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			CallerIdentity caller, List<String> sessionIds) throws ServletException, IOException {
		for (String sessionId : sessionIds) {
			SessionRegistry.Verdict verdict = this.sessions.check(sessionId, caller);
			if (verdict != SessionRegistry.Verdict.OWNED) {
				refuse(request, response, caller, sessionId, verdict);
				return;
			}
		}
		chain.doFilter(request, response);
		if (HttpMethod.DELETE.matches(request.getMethod()) && response.getStatus() == HttpStatus.OK.value()) {
			sessionIds.forEach(this.sessions::closed);
		}
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, CallerIdentity caller,
			String sessionId, SessionRegistry.Verdict verdict) throws IOException {
		Refusal refusal = switch (verdict) {
			case MISMATCH -> Refusal.MISMATCH;
			case ENDED -> Refusal.ENDED;
			default -> Refusal.UNKNOWN;
		};
		this.sessions.refused(refusal);
		if (refusal == Refusal.MISMATCH && this.auditTrail != null) {
			this.auditTrail.mismatch(caller, request.getMethod(), sessionId);
		}
		// The same answer in every case, so that it tells nobody whether the session exists or whose it is.
		JsonResponses.writeSessionNotFound(response, JsonRpcMessages.requestId(request));
	}

	private void openSession(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			CallerIdentity caller) throws ServletException, IOException {
		SessionRegistry.AdmissionResult result = this.sessions.admit(caller);
		if (result instanceof SessionRegistry.LimitReached limit) {
			refuseOpening(request, response, limit);
			return;
		}
		SessionRegistry.Admission admission = (SessionRegistry.Admission) result;
		request.setAttribute(SessionRegistry.ADMISSION_ATTRIBUTE, admission);
		try {
			chain.doFilter(request, response);
			// A legacy SSE session lives as long as its event stream.
			if (request.getAttribute(SessionRegistry.OPENED_ATTRIBUTE) instanceof String sessionId
					&& request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new StreamEnd(this.sessions, sessionId));
			}
		}
		finally {
			request.removeAttribute(SessionRegistry.ADMISSION_ATTRIBUTE);
			this.sessions.release(admission);
		}
	}

	private void refuseOpening(HttpServletRequest request, HttpServletResponse response,
			SessionRegistry.LimitReached limit) throws IOException {
		if (limit.refusal() == Refusal.CALLER_LIMIT) {
			JsonResponses.writeJsonRpcError(response, HttpStatus.TOO_MANY_REQUESTS.value(),
					JsonRpcMessages.requestId(request), LIMIT_REACHED,
					"Too many open sessions: this caller already holds " + limit.limit()
							+ ", the most it may. End one with an HTTP DELETE of its Mcp-Session-Id, or wait until an idle one expires ("
							+ readable(this.sessions.idleTimeout()) + " without a request).");
			return;
		}
		JsonResponses.writeJsonRpcError(response, HttpStatus.SERVICE_UNAVAILABLE.value(),
				JsonRpcMessages.requestId(request), SERVER_FULL, "Max number of sessions reached");
	}

	/** {@code 30m}, {@code 2h}, {@code 90s}: as the property is usually written. */
	private static String readable(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds % 3600 == 0) {
			return (seconds / 3600) + "h";
		}
		return (seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
	}

	/**
	 * Every session id the transports could read from the request; the streamable transport reads
	 * the first header, the SSE transport the first parameter, so all of them must be the caller's.
	 */
	private static List<String> sessionIds(HttpServletRequest request) {
		List<String> ids = new ArrayList<>(Collections.list(request.getHeaders(SESSION_HEADER)));
		if (HttpMethod.POST.matches(request.getMethod())) {
			String[] parameters = request.getParameterValues(SESSION_PARAMETER);
			if (parameters != null) {
				ids.addAll(List.of(parameters));
			}
		}
		return ids;
	}

	/**
	 * An {@code initialize} POST or a GET without a session: the legacy SSE endpoint opens a session
	 * on GET; on the streamable endpoint a GET without a session is refused by the transport, and the
	 * slot taken for it is returned at once.
	 */
	private static boolean mayOpenSession(HttpServletRequest request) {
		if (HttpMethod.GET.matches(request.getMethod())) {
			return true;
		}
		return HttpMethod.POST.matches(request.getMethod())
				&& request.getAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE) instanceof JsonNode message
				&& "initialize".equals(message.path("method").asString(""));
	}

	/** Unbinds a legacy SSE session when its event stream ends, however it ends. */
	private record StreamEnd(SessionRegistry sessions, String sessionId) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.sessions.closed(this.sessionId);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.sessions.closed(this.sessionId);
		}

		@Override
		public void onError(AsyncEvent event) {
			this.sessions.closed(this.sessionId);
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
