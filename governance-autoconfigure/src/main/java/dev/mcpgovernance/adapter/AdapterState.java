package dev.mcpgovernance.adapter;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** What the manager has seen of one source: calls, failures, the last health check. */
final class AdapterState {

	private final DataAdapter adapter;

	private final LongAdder successes = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final LongAdder skipped = new LongAdder();

	private final AtomicBoolean checking = new AtomicBoolean();

	private volatile Instant lastSuccess;

	private volatile Instant lastFailure;

	private volatile Boolean healthy;

	private volatile Instant lastHealthCheck;

	AdapterState(DataAdapter adapter) {
		this.adapter = adapter;
	}

	DataAdapter adapter() {
		return this.adapter;
	}

	void success(Instant now) {
		this.successes.increment();
		this.lastSuccess = now;
	}

	void failure(Instant now) {
		this.failures.increment();
		this.lastFailure = now;
	}

	void skipped() {
		this.skipped.increment();
	}

	/** Whether the last call failed, within {@code window} of now. */
	boolean failedRecently(Instant now, Duration window) {
		Instant failed = this.lastFailure;
		Instant succeeded = this.lastSuccess;
		return failed != null && (succeeded == null || failed.isAfter(succeeded))
				&& failed.plus(window).isAfter(now);
	}

	boolean reportedDown() {
		return Boolean.FALSE.equals(this.healthy);
	}

	/** Claims the next health check if one is due; the caller must then {@link #checked} it. */
	boolean claimHealthCheck(Instant now, Duration interval) {
		Instant last = this.lastHealthCheck;
		if (last != null && last.plus(interval).isAfter(now)) {
			return false;
		}
		return this.checking.compareAndSet(false, true);
	}

	void checked(boolean healthy, Instant now) {
		this.healthy = healthy;
		this.lastHealthCheck = now;
		this.checking.set(false);
	}

	Boolean healthy() {
		return this.healthy;
	}

	long successes() {
		return this.successes.sum();
	}

	long failures() {
		return this.failures.sum();
	}

	long skippedCalls() {
		return this.skipped.sum();
	}

	Instant lastFailure() {
		return this.lastFailure;
	}

	Instant lastSuccess() {
		return this.lastSuccess;
	}

}
