package dev.mcpgovernance.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Takes audit records off the calling thread and makes them durable: write-ahead, in two steps on
 * two background threads.
 * <ol>
 * <li>The caller gives the record the next position of this pipeline's stream and puts it in a
 * bounded queue (in strict durability it then waits until the record is on disk).</li>
 * <li>The journal thread takes whatever has queued up (group commit), places it in the hash chain,
 * appends it to the local journal and forces it to disk. It never touches the store, so a record
 * is durable within milliseconds whether the store is up, slow or down.</li>
 * <li>The store thread hands journaled records to the {@link AuditWriter}, oldest first (journals
 * left by an earlier process before this one's), and marks them stored in the journal. A failed
 * write is tried again every retry interval; a write running longer than the store timeout counts
 * as an outage.</li>
 * </ol>
 * Stopping journals everything queued and writes what the store takes within the shutdown timeout.
 */
public class AuditPipeline implements SmartLifecycle {

	/** After the web server has stopped (so the last calls are recorded), before the DataSource closes. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(AuditPipeline.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	/**
	 * Journaled records the store thread may take from memory; beyond them it reads the journal. Counted
	 * in records, not batches: at a few thousand calls a second the group commit makes batches of a few
	 * records, and the 64 batches held before were less than one store write's worth (issue 23).
	 */
	private static final int HANDOFF_RECORDS = 8192;

	/**
	 * Group commit in default durability: after the first record of a batch the journal thread waits
	 * this long for the records of calls answered meanwhile, so that one force covers them all. A
	 * force per record was the journal thread's whole cost at one caller (issue 23); no answer waits
	 * for it, and the window in which a killed JVM loses records grows by this much.
	 */
	private static final long GROUP_COMMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/**
	 * The store thread, given a journaled batch, waits this long for the batches journaled after it,
	 * so that one store write (one transaction) takes them together. The records are on disk already:
	 * only when they appear in the table moves.
	 */
	private static final long STORE_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	/** How long the store thread waits for a batch that is in the journal but not handed over yet. */
	private static final long HANDOFF_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final AuditWriter writer;

	private final AuditChain chain = new AuditChain();

	private final BlockingQueue<Pending> queue;

	/** Batches just journaled, so that the store thread need not read them back from the file. */
	private final BlockingQueue<Journaled> handoff = new LinkedBlockingQueue<>();

	/** Records in {@link #handoff}; only the journal thread adds to it. */
	private final AtomicInteger handoffRecords = new AtomicInteger();

	/** Batches the journal could not take: the store thread tries them once from memory. */
	private final Queue<List<AuditRecord>> unjournaled = new ConcurrentLinkedQueue<>();

	private final AuditJournal journal;

	private final List<AuditJournal> leftOver;

	private final Path journalDirectory;

	private final int batchSize;

	private final Duration flushInterval;

	private final Duration retryInterval;

	private final Duration shutdownTimeout;

	private final Settings settings;

	private final Clock clock;

	/** Guards {@link #nextSeq} and the queue's order: positions enter the queue in order. */
	private final Object submitLock = new Object();

	private long nextSeq;

	/** Strict callers wait on it for {@link #settledSeq}. */
	private final Object settled = new Object();

	/** The highest position the journal thread is done with (journaled, or failed to journal). */
	private volatile long settledSeq;

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong journaled = new AtomicLong();

	private final AtomicLong spilled = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong lost = new AtomicLong();

	private final AtomicLong strictTimeouts = new AtomicLong();

	private volatile long longestLagNanos;

	/** When the store write in progress started ({@link System#nanoTime()}), 0 when none is. */
	private volatile long writingSince;

	private volatile boolean storeFailing;

	private volatile Failure lastFailure;

	private volatile boolean stopping;

	private volatile long stopDeadline;

	private volatile Thread journalThread;

	private volatile Thread storeThread;

	private long nextAttempt;

	/**
	 * A pipeline in default durability, with a one-second store and enqueue timeout.
	 * @see #AuditPipeline(AuditWriter, int, int, Duration, Duration, Path, Duration, Settings)
	 */
	public AuditPipeline(AuditWriter writer, int capacity, int batchSize, Duration flushInterval,
			Duration retryInterval, Path journalDirectory, Duration shutdownTimeout) {
		this(writer, capacity, batchSize, flushInterval, retryInterval, journalDirectory, shutdownTimeout,
				new Settings(AuditDurability.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(1),
						Duration.ofSeconds(1)));
	}

	/**
	 * @param writer where records are stored
	 * @param capacity records the queue holds before callers wait for room
	 * @param batchSize records per journal append and per write at most
	 * @param flushInterval longest idle wait of the journal thread
	 * @param retryInterval wait after a failed write before the store is tried again
	 * @param journalDirectory where journals are kept
	 * @param shutdownTimeout longest wait for the last writes when stopping
	 * @param settings durability and timeouts
	 */
	public AuditPipeline(AuditWriter writer, int capacity, int batchSize, Duration flushInterval,
			Duration retryInterval, Path journalDirectory, Duration shutdownTimeout, Settings settings) {
		this.writer = writer;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.batchSize = batchSize;
		this.flushInterval = flushInterval;
		this.retryInterval = retryInterval;
		this.shutdownTimeout = shutdownTimeout;
		this.settings = settings;
		this.journalDirectory = journalDirectory;
		this.journal = AuditJournal.forStream(journalDirectory, this.chain.streamId());
		this.leftOver = new ArrayList<>(AuditJournal.leftOver(journalDirectory, this.chain.streamId()));
		this.clock = Clock.systemUTC();
	}

	/**
	 * Queues a record built already.
	 * @see #submit(Supplier)
	 */
	public long submit(AuditRecord record) {
		return submit(() -> record);
	}

	/**
	 * Gives the record the next position of the stream and queues it; never waits on the store. The
	 * record is built on the journal thread, so that what a record costs to build (its id, redacting
	 * its text, the argument shape) is not spent on the calling thread; {@code record} must only read
	 * what no one changes any more. When the queue is full (the disk cannot keep up) it waits up to the
	 * enqueue timeout for room, then drops the record: counted as lost, its position stays a gap. In
	 * strict durability it returns once the record is forced to the journal (at most the strict timeout).
	 * @return the record's position in this pipeline's stream
	 */
	public long submit(Supplier<AuditRecord> record) {
		long seq;
		boolean queued;
		long deadline = System.nanoTime() + this.settings.enqueueTimeout().toNanos();
		synchronized (this.submitLock) {
			try {
				long left;
				while (this.queue.remainingCapacity() == 0 && (left = deadline - System.nanoTime()) > 0) {
					TimeUnit.NANOSECONDS.timedWait(this.submitLock, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			// A dropped record takes its position too, so that its loss shows as a gap.
			seq = ++this.nextSeq;
			queued = this.queue.offer(new Pending(record, seq, System.nanoTime()));
		}
		if (!queued) {
			this.lost.incrementAndGet();
			logger.error("Dropped audit record " + this.chain.streamId() + "#" + seq + ": the queue stayed full for "
					+ this.settings.enqueueTimeout() + " (the journal in " + this.journalDirectory + " is too slow)");
			return seq;
		}
		if (this.settings.durability() == AuditDurability.STRICT) {
			awaitSettled(seq);
		}
		return seq;
	}

	/** The highest position the journal thread is done with: forced to the journal (or failed to be). */
	long settledThrough() {
		return this.settledSeq;
	}

	private void awaitSettled(long seq) {
		if (this.settledSeq >= seq) {
			return;
		}
		long deadline = System.nanoTime() + this.settings.strictTimeout().toNanos();
		synchronized (this.settled) {
			try {
				while (this.settledSeq < seq) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						this.strictTimeouts.incrementAndGet();
						logger.warn("Audit record " + this.chain.streamId() + "#" + seq + " was not journaled within "
								+ this.settings.strictTimeout() + "; the answer leaves without waiting longer");
						return;
					}
					TimeUnit.NANOSECONDS.timedWait(this.settled, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	public String streamId() {
		return this.chain.streamId();
	}

	public Path journalDirectory() {
		return this.journalDirectory;
	}

	public AuditDurability durability() {
		return this.settings.durability();
	}

	public int queueDepth() {
		return this.queue.size();
	}

	/** Records handed to the writer successfully (a record written back after a crash counts again). */
	public long written() {
		return this.written.get();
	}

	/** Records forced to the journal since start. */
	public long journaled() {
		return this.journaled.get();
	}

	/** Records the store took from the journal file rather than from memory, because it was down, slow or behind. */
	public long spilled() {
		return this.spilled.get();
	}

	/** Failed writes since start, and writes that ran past the store timeout. */
	public long failures() {
		return this.failures.get();
	}

	/** Records neither journaled nor stored; should stay 0. */
	public long lost() {
		return this.lost.get();
	}

	/** Calls in strict durability that left before their record was journaled. */
	public long strictTimeouts() {
		return this.strictTimeouts.get();
	}

	/** The longest time a record waited between its call and being forced to the journal, since start. */
	public Duration longestJournalLag() {
		return Duration.ofNanos(this.longestLagNanos);
	}

	/** Whether the store failed its last write, or the write in progress runs past the store timeout. */
	public boolean storeUnavailable() {
		long since = this.writingSince;
		return this.storeFailing
				|| (since != 0 && System.nanoTime() - since > this.settings.storeTimeout().toNanos());
	}

	/** Bytes in journals that the store has not taken yet (a few batches in normal operation). */
	public long journalBacklogBytes() {
		long bytes = this.journal.pendingBytes();
		synchronized (this.leftOver) {
			for (AuditJournal other : this.leftOver) {
				bytes += other.pendingBytes();
			}
		}
		return bytes;
	}

	/** The last failed write, or {@code null}. */
	public Failure lastFailure() {
		return this.lastFailure;
	}

	@Override
	public void start() {
		this.stopping = false;
		this.journalThread = daemon(this::journalLoop, "mcp-governance-audit-journal");
		this.storeThread = daemon(this::storeLoop, "mcp-governance-audit-writer");
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	@Override
	public void stop() {
		Thread journalWriter = this.journalThread;
		Thread storeWriter = this.storeThread;
		if (journalWriter == null) {
			return;
		}
		// No interrupt: it would close the journal's FileChannel in the middle of an append.
		this.stopDeadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		this.stopping = true;
		try {
			journalWriter.join(Math.max(1, this.shutdownTimeout.toMillis()));
			storeWriter.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.stopDeadline - System.nanoTime())));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (journalWriter.isAlive() || storeWriter.isAlive()) {
			logger.warn("The audit store did not take every record within " + this.shutdownTimeout
					+ "; what it has not taken stays in the journal in " + this.journalDirectory
					+ " and is written back at the next start");
		}
		else {
			this.journal.close();
			synchronized (this.leftOver) {
				this.leftOver.forEach(AuditJournal::close);
			}
		}
		this.journalThread = null;
		this.storeThread = null;
	}

	@Override
	public boolean isRunning() {
		return this.journalThread != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void journalLoop() {
		while (true) {
			List<Pending> taken = take();
			boolean last = this.stopping;
			if (last) {
				this.queue.drainTo(taken);
			}
			if (!taken.isEmpty()) {
				journal(taken);
			}
			if (last) {
				return;
			}
		}
	}

	private List<Pending> take() {
		List<Pending> batch = new ArrayList<>(this.batchSize);
		long deadline = System.nanoTime() + this.flushInterval.toNanos();
		try {
			Pending first = null;
			// Short waits, so that stop() is noticed soon without interrupting this thread.
			while (first == null && !this.stopping) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				first = this.queue.poll(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
			}
			if (first != null) {
				batch.add(first);
				this.queue.drainTo(batch, this.batchSize - 1);
				if (batch.size() < this.batchSize && this.settings.durability() == AuditDurability.DEFAULT
						&& !this.stopping) {
					// No caller waits for this force: let the calls answered meanwhile share it.
					LockSupport.parkNanos(GROUP_COMMIT_NANOS);
					this.queue.drainTo(batch, this.batchSize - batch.size());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopping = true;
		}
		if (!batch.isEmpty()) {
			synchronized (this.submitLock) {
				this.submitLock.notifyAll();
			}
		}
		return batch;
	}

	/** Chains the batch, appends it to the journal and forces it to disk, then lets waiting callers go. */
	private void journal(List<Pending> taken) {
		List<AuditRecord> batch = new ArrayList<>(taken.size());
		for (Pending pending : taken) {
			AuditRecord record = build(pending);
			if (record != null) {
				batch.add(this.chain.append(record, pending.seq()));
			}
		}
		if (batch.isEmpty()) {
			settle(taken);
			return;
		}
		try {
			AuditJournal.Segment segment = this.journal.append(batch);
			this.journaled.addAndGet(batch.size());
			long lag = System.nanoTime() - taken.get(0).submittedAt();
			if (lag > this.longestLagNanos) {
				this.longestLagNanos = lag;
			}
			// When the store thread is behind, it reads this batch back from the file.
			if (this.handoffRecords.get() + batch.size() <= HANDOFF_RECORDS) {
				this.handoffRecords.addAndGet(batch.size());
				this.handoff.add(new Journaled(batch, segment));
			}
		}
		catch (IOException | RuntimeException ex) {
			this.unjournaled.add(batch);
			logger.error("Could not journal " + batch.size() + " audit records in " + this.journalDirectory + " ("
					+ ex.getClass().getName() + "); they are lost unless the store takes them at once");
		}
		settle(taken);
	}

	/** The submitted record, or {@code null} when building it failed: counted as lost, a gap in the stream. */
	private AuditRecord build(Pending pending) {
		try {
			return pending.record().get();
		}
		catch (RuntimeException ex) {
			this.lost.incrementAndGet();
			logger.error("Dropped audit record " + this.chain.streamId() + "#" + pending.seq() + ": building it failed ("
					+ ex.getClass().getName() + ")");
			return null;
		}
	}

	/** Lets the callers waiting for this batch go. */
	private void settle(List<Pending> taken) {
		this.settledSeq = taken.get(taken.size() - 1).seq();
		if (this.settings.durability() == AuditDurability.STRICT) {
			synchronized (this.settled) {
				this.settled.notifyAll();
			}
		}
	}

	private void storeLoop() {
		while (true) {
			Journaled next = null;
			try {
				next = taken(this.handoff.poll(POLL_NANOS, TimeUnit.NANOSECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Thread journalWriter = this.journalThread;
			if (this.stopping && (journalWriter == null || !journalWriter.isAlive())) {
				// Everything is journaled: one last attempt, whatever the retry interval; what the
				// store does not take now stays in the journal for the next start.
				storeUnjournaled();
				store(next);
				return;
			}
			storeUnjournaled();
			if (this.clock.millis() >= this.nextAttempt) {
				if (next != null && !this.stopping) {
					// The batches journaled in the next moments go in the same store write.
					LockSupport.parkNanos(STORE_GATHER_NANOS);
				}
				store(next);
			}
		}
	}

	/**
	 * The first handed-over batch, from {@code next} on, that is not stored yet, waiting a moment for
	 * one when there is none: the journal thread appends a batch to the file just before it hands it
	 * over, so the file can hold a batch the hand-off does not have yet. Batches stored already, by a
	 * read of the file, are dropped all at once: taking one of them per store write left the hand-off
	 * ever further behind, and the store thread then read every batch back from the file, which was a
	 * sixth of its CPU (issue 23). When no batch comes, the caller reads the file.
	 */
	private Journaled unstored(Journaled next) {
		boolean waited = false;
		while (true) {
			while (next != null && this.journal.isStored(next.segment())) {
				next = taken(this.handoff.poll());
			}
			if (next != null || waited) {
				return next;
			}
			try {
				next = taken(this.handoff.poll(HANDOFF_WAIT_NANOS, TimeUnit.NANOSECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			waited = true;
		}
	}

	/** A batch taken from the hand-off, which then holds that many records fewer. */
	private Journaled taken(Journaled journaled) {
		if (journaled != null) {
			this.handoffRecords.addAndGet(-journaled.records().size());
		}
		return journaled;
	}

	private void storeUnjournaled() {
		List<AuditRecord> batch;
		while ((batch = this.unjournaled.poll()) != null) {
			if (!write(batch)) {
				this.lost.addAndGet(batch.size());
				logger.error("Lost " + batch.size() + " audit records: neither the journal nor the store took them");
			}
		}
	}

	/**
	 * Writes what the journals hold, oldest first: journals of earlier runs, then this one's, taking a
	 * just-journaled batch from memory when it is next. Stops at the first failure.
	 */
	private void store(Journaled next) {
		if (!writeBackLeftOver()) {
			return;
		}
		try {
			while (this.journal.hasPending()) {
				List<AuditRecord> records;
				long end;
				next = unstored(next);
				if (next != null && this.journal.isNext(next.segment())) {
					records = new ArrayList<>(next.records());
					end = next.segment().end();
					// Batches journaled one right after the other go to the store in one write.
					Journaled following;
					while ((following = this.handoff.peek()) != null
							&& following.segment().follows(next.segment().generation(), end)
							&& records.size() + following.records().size() <= this.batchSize) {
						taken(this.handoff.poll());
						records.addAll(following.records());
						end = following.segment().end();
					}
				}
				else {
					AuditJournal.Batch batch = this.journal.read(this.batchSize);
					records = batch.records();
					end = batch.end();
					this.spilled.addAndGet(records.size());
				}
				if (!records.isEmpty() && !write(records)) {
					return;
				}
				this.journal.markStored(end);
				next = taken(this.handoff.poll());
			}
		}
		catch (IOException ex) {
			fail(ex);
		}
	}

	/** Writes back the journals earlier processes left; whether all of them are. */
	private boolean writeBackLeftOver() {
		while (true) {
			AuditJournal oldest;
			synchronized (this.leftOver) {
				if (this.leftOver.isEmpty()) {
					return true;
				}
				oldest = this.leftOver.get(0);
			}
			try {
				while (oldest.hasPending()) {
					AuditJournal.Batch batch = oldest.read(this.batchSize);
					if (!batch.records().isEmpty() && !write(batch.records())) {
						return false;
					}
					this.spilled.addAndGet(batch.records().size());
					oldest.markStored(batch.end());
				}
			}
			catch (IOException ex) {
				fail(ex);
				return false;
			}
			synchronized (this.leftOver) {
				this.leftOver.remove(0);
			}
			oldest.close();
			logger.info("Wrote back the audit journal " + oldest.file() + " left by an earlier run");
		}
	}

	private boolean write(List<AuditRecord> batch) {
		long started = System.nanoTime();
		this.writingSince = started;
		try {
			this.writer.write(batch);
		}
		catch (RuntimeException ex) {
			fail(ex);
			return false;
		}
		finally {
			this.writingSince = 0;
		}
		this.written.addAndGet(batch.size());
		if (System.nanoTime() - started > this.settings.storeTimeout().toNanos()) {
			// It went through, but as late as an outage: health showed the store unavailable meanwhile.
			this.failures.incrementAndGet();
		}
		if (this.storeFailing) {
			logger.info("The audit store answers again; records waiting in the journal are written back");
		}
		this.storeFailing = false;
		return true;
	}

	private void fail(Exception ex) {
		this.failures.incrementAndGet();
		this.storeFailing = true;
		this.nextAttempt = this.clock.millis() + this.retryInterval.toMillis();
		// The type only: driver messages can quote statement parameters.
		this.lastFailure = new Failure(Instant.now(this.clock), ex.getClass().getName());
		logger.warn("Audit write failed (" + ex.getClass().getName() + "); records wait in the journal in "
				+ this.journalDirectory + " until the store answers");
	}

	/**
	 * Durability and timeouts.
	 * @param durability whether a call waits until its record is journaled
	 * @param strictTimeout longest such wait
	 * @param storeTimeout a write running longer counts as an outage
	 * @param enqueueTimeout longest wait for room in a full queue
	 */
	public record Settings(AuditDurability durability, Duration strictTimeout, Duration storeTimeout,
			Duration enqueueTimeout) {
	}

	/**
	 * A failed write.
	 * @param at when it failed
	 * @param type the exception type
	 */
	public record Failure(Instant at, String type) {
	}

	private record Pending(Supplier<AuditRecord> record, long seq, long submittedAt) {
	}

	private record Journaled(List<AuditRecord> records, AuditJournal.Segment segment) {
	}

}
