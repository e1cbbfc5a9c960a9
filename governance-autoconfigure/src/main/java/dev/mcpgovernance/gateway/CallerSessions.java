package dev.mcpgovernance.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;

/**
 * The upstream sessions of one upstream, one per caller: a session is opened for a caller at its
 * first call and used by no one else, so whatever the upstream sends on it (progress, log messages,
 * elicitation requests) belongs to that caller by construction. At most {@code max} are open; when
 * a new caller finds them all taken, the one idle longest is closed for it, and when every one has a
 * call in progress the caller gets none (its call takes the upstream's shared session, which
 * forwards nothing). A session idle for {@code idleTimeout} is closed by {@link #closeIdle()}.
 */
final class CallerSessions {

	private final int max;

	private final Duration idleTimeout;

	private final UnaryOperator<String> redact;

	private final Map<CallerKey, CallerSession> sessions = new LinkedHashMap<>();

	// Sessions being opened count against the bound, so that callers arriving together cannot pass it.
	private int opening;

	/**
	 * @param max how many callers may have their own session at once; 0 for none
	 * @param idleTimeout how long a session without a call stays open
	 * @param redact what the upstream's text passes through on its way to a caller
	 */
	CallerSessions(int max, Duration idleTimeout, UnaryOperator<String> redact) {
		this.max = max;
		this.idleTimeout = idleTimeout;
		this.redact = redact;
	}

	/**
	 * A call on the caller's session, opened on first use; the call begins under the lock, so the
	 * session cannot be taken as idle and closed before it. Opening happens outside the lock (it is a
	 * round trip to the upstream); when two first calls of one caller race, the second session is closed.
	 * @param connect opens an upstream session that hands what it receives to the given channel
	 * @return empty when every session has a call in progress
	 * @throws RuntimeException when the upstream cannot be reached or refuses the session
	 */
	Optional<Lease> acquire(CallerKey key, ClientCapabilities capabilities,
			Function<CallerChannel, UpstreamClient> connect, McpSyncServerExchange exchange, Object progressToken) {
		synchronized (this) {
			CallerSession existing = this.sessions.get(key);
			if (existing != null) {
				return Optional.of(existing.begin(exchange, progressToken));
			}
			if (this.max <= 0 || (this.sessions.size() + this.opening >= this.max && !evictIdlest())) {
				return Optional.empty();
			}
			this.opening++;
		}
		CallerChannel channel = new CallerChannel(capabilities, this.redact);
		CallerSession opened;
		try {
			opened = new CallerSession(key, channel, connect.apply(channel));
		}
		catch (RuntimeException ex) {
			synchronized (this) {
				this.opening--;
			}
			throw ex;
		}
		CallerSession raced;
		Lease lease;
		synchronized (this) {
			this.opening--;
			raced = this.sessions.putIfAbsent(key, opened);
			lease = (raced != null) ? raced.begin(exchange, progressToken) : opened.begin(exchange, progressToken);
		}
		if (raced != null) {
			opened.closeQuietly();
		}
		return Optional.of(lease);
	}

	/** Closes the session, if it is still the caller's: after a transport failure it is of no more use. */
	void discard(CallerSession session) {
		boolean removed;
		synchronized (this) {
			removed = this.sessions.remove(session.key(), session);
		}
		if (removed) {
			session.closeQuietly();
		}
	}

	/** Closes the sessions without a call for longer than the idle timeout. */
	void closeIdle() {
		Instant cutoff = Instant.now().minus(this.idleTimeout);
		List<CallerSession> idle = new ArrayList<>();
		synchronized (this) {
			this.sessions.values()
				.removeIf((session) -> !session.channel().busy() && session.channel().lastActive().isBefore(cutoff)
						&& idle.add(session));
		}
		idle.forEach(CallerSession::closeQuietly);
	}

	void closeAll() {
		List<CallerSession> all;
		synchronized (this) {
			all = new ArrayList<>(this.sessions.values());
			this.sessions.clear();
		}
		all.forEach(CallerSession::closeQuietly);
	}

	synchronized int size() {
		return this.sessions.size();
	}

	// Under the lock. Closing is quick (the SDK ends the session without waiting for the upstream).
	private boolean evictIdlest() {
		Optional<CallerSession> idlest = this.sessions.values()
			.stream()
			.filter((session) -> !session.channel().busy())
			.min(Comparator.comparing((CallerSession session) -> session.channel().lastActive()));
		idlest.ifPresent((session) -> {
			this.sessions.remove(session.key());
			session.closeQuietly();
		});
		return idlest.isPresent();
	}

	/**
	 * Who a session belongs to: the caller's MCP session on this server and the identity that made
	 * the call, so that not even two identities sharing one connection share an upstream session.
	 */
	record CallerKey(String sessionId, String keyId, String ownerId) {
	}

	/** One caller's upstream session with the channel back to that caller. */
	record CallerSession(CallerKey key, CallerChannel channel, UpstreamClient client) {

		Lease begin(McpSyncServerExchange exchange, Object progressToken) {
			return new Lease(this, this.channel.begin(exchange, progressToken));
		}

		void closeQuietly() {
			try {
				this.client.close();
			}
			catch (RuntimeException ex) {
				// Closing a broken session may fail too; nothing is left to release.
			}
		}

	}

	/** One call in progress on a caller's session; {@link #end()} when it is over. */
	record Lease(CallerSession session, CallerChannel.ForwardedCall call) {

		void end() {
			this.session.channel().end(this.call);
		}

	}

}
