package dev.mcpgovernance.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.modelcontextprotocol.spec.McpStreamableServerSession;

/**
 * The streamable-HTTP sessions the MCP server holds, by id, as the server handles them (the starter's
 * decorated session), so that the starter can answer a session's JSON-RPC requests on the request's
 * own thread instead of through Spring AI's handler and the servlet async dispatch it starts.
 * <p>
 * Spring AI's transport keeps a map of its own and evicts a session it has not seen for its idle
 * timeout. So that a session in use is never evicted there, {@link #answerable} hands a session's
 * request to Spring AI's handler once per {@code refresh} (a quarter of the idle timeout, at most a
 * second), and the transport's idle timeout is the session idle timeout plus {@code refresh}
 * ({@link #transportIdleTimeout}): the transport then evicts a session no sooner than one idle timeout
 * after its last request, and no later than {@code refresh} after that; the session registry, where
 * there is one, ends it after exactly the idle timeout.
 */
public final class StreamableSessions {

	private static final Duration MAX_REFRESH = Duration.ofSeconds(1);

	private final Map<String, Held> sessions = new ConcurrentHashMap<>();

	private final long refreshNanos;

	/** @param idleTimeout the session idle timeout ({@code mcp.governance.sessions.idle-timeout}) */
	public StreamableSessions(Duration idleTimeout) {
		this.refreshNanos = refresh(idleTimeout).toNanos();
	}

	/** The idle timeout to give Spring AI's transport for a session idle timeout. */
	public static Duration transportIdleTimeout(Duration idleTimeout) {
		return idleTimeout.plus(refresh(idleTimeout));
	}

	/** A quarter of the idle timeout, at most a second: the transport's idle timeout stays within a second of it. */
	private static Duration refresh(Duration idleTimeout) {
		Duration quarter = idleTimeout.dividedBy(4);
		return (quarter.compareTo(MAX_REFRESH) < 0) ? quarter : MAX_REFRESH;
	}

	/**
	 * A session the transport has just opened (its initialize request went through Spring AI's handler).
	 * @param session the session as the transport holds it
	 */
	public void opened(McpStreamableServerSession session) {
		this.sessions.put(session.getId(), new Held(session, System.nanoTime()));
	}

	/** A session deleted, closed or evicted: its requests go to Spring AI's handler, which refuses them. */
	public void closed(String sessionId) {
		this.sessions.remove(sessionId);
	}

	/**
	 * The session whose request the starter may answer now, or {@code null} when Spring AI's handler
	 * must handle it: the session is not one this server holds, or the transport has not seen it for
	 * {@code refresh}.
	 */
	public McpStreamableServerSession answerable(String sessionId) {
		Held held = this.sessions.get(sessionId);
		if (held == null) {
			return null;
		}
		long now = System.nanoTime();
		if (now - held.transportSaw >= this.refreshNanos) {
			held.transportSaw = now;
			return null;
		}
		return held.session;
	}

	private static final class Held {

		private final McpStreamableServerSession session;

		/** When a request of the session last went through Spring AI's handler ({@link System#nanoTime()}). */
		private volatile long transportSaw;

		Held(McpStreamableServerSession session, long transportSaw) {
			this.session = session;
			this.transportSaw = transportSaw;
		}

	}

}
