package dev.mcpgovernance.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.apikey.RevocationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The MCP sessions open on this server over HTTP and whom each belongs to. A session is bound to
 * the caller whose request opened it; it ends (its SDK session is closed, so its event stream
 * ends too) after {@code idleTimeout} without a request of its owner, when the owner's credential
 * stops being valid, or when the owner's API key is revoked. A caller holds at most
 * {@code maxPerCaller} sessions and the server at most {@code maxTotal}: a slot is taken before the
 * transport may open a session ({@link #admit}) and handed to the session it opens.
 */
public class SessionRegistry implements McpSessionListener, RevocationListener {

	private static final Log logger = LogFactory.getLog(SessionRegistry.class);

	/** Request attribute holding the {@link Admission} of a request that may open a session. */
	static final String ADMISSION_ATTRIBUTE = SessionRegistry.class.getName() + ".admission";

	/** Request attribute holding the id of the session the request opened. */
	static final String OPENED_ATTRIBUTE = SessionRegistry.class.getName() + ".opened";

	private final Duration idleTimeout;

	private final int maxPerCaller;

	private final int maxTotal;

	private final Clock clock;

	private final Cache<String, Binding> bindings;

	// Ids that ended lately, only so that the refusal metric can tell "ended" from "unknown".
	private final Cache<String, Boolean> ended;

	private final Map<SessionOwner, Integer> heldByCaller = new ConcurrentHashMap<>();

	// Admissions in flight and bindings: what the total limit counts.
	private final AtomicInteger held = new AtomicInteger();

	private final AtomicInteger active = new AtomicInteger();

	private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);

	public SessionRegistry(Duration idleTimeout, int maxPerCaller, int maxTotal, Clock clock) {
		this.idleTimeout = idleTimeout;
		this.maxPerCaller = maxPerCaller;
		this.maxTotal = maxTotal;
		this.clock = clock;
		for (Refusal refusal : Refusal.values()) {
			this.refusals.put(refusal, new LongAdder());
		}
		// The system scheduler ends an expired session on time, not at the next cache access.
		this.bindings = Caffeine.newBuilder()
			.expireAfter(new BindingExpiry())
			.scheduler(Scheduler.systemScheduler())
			.executor(Runnable::run)
			.removalListener(this::removed)
			.build();
		this.ended = Caffeine.newBuilder().maximumSize(maxTotal).expireAfterWrite(idleTimeout).build();
	}

	/**
	 * Takes a slot for a request that may open a session, or says which limit is reached. The slot
	 * goes to the session the request opens; {@link #release} returns it when none was opened.
	 */
	AdmissionResult admit(CallerIdentity caller) {
		SessionOwner owner = SessionOwner.of(caller);
		AtomicBoolean reserved = new AtomicBoolean();
		this.heldByCaller.compute(owner, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.maxPerCaller) {
				return count;
			}
			reserved.set(true);
			return current + 1;
		});
		if (!reserved.get()) {
			refused(Refusal.CALLER_LIMIT);
			return new LimitReached(Refusal.CALLER_LIMIT, this.maxPerCaller);
		}
		if (this.held.incrementAndGet() > this.maxTotal) {
			this.held.decrementAndGet();
			releaseCallerSlot(owner);
			refused(Refusal.TOTAL_LIMIT);
			return new LimitReached(Refusal.TOTAL_LIMIT, this.maxTotal);
		}
		return new Admission(owner, caller.validUntil());
	}

	/** Returns the slot of an admission whose request opened no session; nothing when it did. */
	void release(Admission admission) {
		if (admission.settled.compareAndSet(false, true)) {
			this.held.decrementAndGet();
			releaseCallerSlot(admission.owner);
		}
	}

	/**
	 * Binds the session to the caller of the request opening it, whose admission the session filter
	 * left on the request. A session opened otherwise (STDIO has no request) is bound to no one, so no
	 * HTTP request can use it.
	 */
	@Override
	public void opened(String sessionId, Supplier<Mono<Void>> close) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		Object admission = (request != null) ? request.getAttribute(ADMISSION_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
				: null;
		if (!(admission instanceof Admission admitted) || !admitted.settled.compareAndSet(false, true)) {
			return;
		}
		this.active.incrementAndGet();
		this.bindings.put(sessionId, new Binding(admitted.owner, admitted.validUntil, close));
		request.setAttribute(OPENED_ATTRIBUTE, sessionId, RequestAttributes.SCOPE_REQUEST);
	}

	/**
	 * Whether {@code caller} may use the session. The owner's request counts as activity, and its
	 * credential's end of validity becomes the session's (a refreshed token carries the session on).
	 */
	Verdict check(String sessionId, CallerIdentity caller) {
		Binding binding = this.bindings.policy().getIfPresentQuietly(sessionId);
		if (binding == null) {
			return (this.ended.getIfPresent(sessionId) != null) ? Verdict.ENDED : Verdict.UNKNOWN;
		}
		if (!binding.owner.equals(SessionOwner.of(caller))) {
			// Read quietly: someone else's request must not keep the owner's session alive.
			return Verdict.MISMATCH;
		}
		binding.validUntil = caller.validUntil();
		this.bindings.getIfPresent(sessionId);
		return Verdict.OWNED;
	}

	/** The session ended on the transport's side (its owner deleted it, its event stream ended). */
	void closed(String sessionId) {
		this.bindings.invalidate(sessionId);
	}

	/** Ends every session bound to the revoked key. */
	@Override
	public void revoked(String keyId) {
		this.bindings.asMap().forEach((sessionId, binding) -> {
			if (binding.owner.keyId().equals(keyId) && this.bindings.asMap().remove(sessionId, binding)) {
				end(sessionId, binding);
			}
		});
	}

	/** How long a session may go without a request of its owner. */
	public Duration idleTimeout() {
		return this.idleTimeout;
	}

	/** Sessions open now. */
	public int active() {
		return this.active.get();
	}

	/** Requests refused for {@code refusal} since start. */
	public long refusals(Refusal refusal) {
		return this.refusals.get(refusal).sum();
	}

	void refused(Refusal refusal) {
		this.refusals.get(refusal).increment();
	}

	private void removed(String sessionId, Binding binding, RemovalCause cause) {
		if (binding == null || cause == RemovalCause.REPLACED) {
			return;
		}
		this.active.decrementAndGet();
		this.held.decrementAndGet();
		releaseCallerSlot(binding.owner);
		if (cause.wasEvicted()) {
			end(sessionId, binding);
		}
	}

	private void end(String sessionId, Binding binding) {
		this.ended.put(sessionId, Boolean.TRUE);
		try {
			binding.close.get().onErrorComplete().subscribe();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not close an ended MCP session (" + ex.getClass().getName() + ")");
		}
	}

	private void releaseCallerSlot(SessionOwner owner) {
		this.heldByCaller.computeIfPresent(owner, (key, count) -> (count > 1) ? count - 1 : null);
	}

	/** What a request that may open a session is told. */
	sealed interface AdmissionResult permits Admission, LimitReached {

	}

	/** A slot held for the session the request may open. */
	static final class Admission implements AdmissionResult {

		private final SessionOwner owner;

		private final Instant validUntil;

		private final AtomicBoolean settled = new AtomicBoolean();

		Admission(SessionOwner owner, Instant validUntil) {
			this.owner = owner;
			this.validUntil = validUntil;
		}

	}

	/** @param limit the number of sessions the limit allows */
	record LimitReached(Refusal refusal, int limit) implements AdmissionResult {

	}

	/** Whether a caller may use a session. */
	enum Verdict {

		OWNED, UNKNOWN, MISMATCH, ENDED

	}

	private static final class Binding {

		private final SessionOwner owner;

		private volatile Instant validUntil;

		private final Supplier<Mono<Void>> close;

		Binding(SessionOwner owner, Instant validUntil, Supplier<Mono<Void>> close) {
			this.owner = owner;
			this.validUntil = validUntil;
			this.close = close;
		}

	}

	/** Idle time from the last access, cut short by the end of the owner's credential. */
	private final class BindingExpiry implements Expiry<String, Binding> {

		@Override
		public long expireAfterCreate(String sessionId, Binding binding, long currentTime) {
			return nanosLeft(binding);
		}

		@Override
		public long expireAfterUpdate(String sessionId, Binding binding, long currentTime, long currentDuration) {
			return nanosLeft(binding);
		}

		@Override
		public long expireAfterRead(String sessionId, Binding binding, long currentTime, long currentDuration) {
			return nanosLeft(binding);
		}

		private long nanosLeft(Binding binding) {
			Instant validUntil = binding.validUntil;
			if (validUntil == null) {
				return SessionRegistry.this.idleTimeout.toNanos();
			}
			Duration left = Duration.between(SessionRegistry.this.clock.instant(), validUntil);
			if (left.compareTo(SessionRegistry.this.idleTimeout) >= 0) {
				return SessionRegistry.this.idleTimeout.toNanos();
			}
			return Math.max(0, left.toNanos());
		}

	}

}
