package dev.mcpgovernance.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Takes audit records off the calling thread and hands them to the {@link AuditWriter} in batches,
 * from one background thread. The caller never waits on the store: a record is put in a bounded queue
 * and the background thread places it in the hash chain (SHA-256 and a lock, kept off the request
 * threads); only when the queue is full does the caller chain it and append it to the local journal.
 * When a write fails, the batch goes to the journal, and from then on newer records follow it there
 * until the journal has been written back in full, oldest first. Journals left by an earlier process
 * are written back first of all. Stopping writes everything still queued, or journals it.
 */
public class AuditPipeline implements SmartLifecycle {

	/** After the web server has stopped (so the last calls are recorded), before the DataSource closes. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(AuditPipeline.class);

	private static final long STOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final AuditWriter writer;

	private final AuditChain chain = new AuditChain();

	private final BlockingQueue<AuditRecord> queue;

	private final AuditJournal journal;

	private final List<AuditJournal> leftOver;

	private final Path journalDirectory;

	private final int batchSize;

	private final Duration flushInterval;

	private final Duration retryInterval;

	private final Duration shutdownTimeout;

	private final Clock clock;

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong spilled = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final AtomicLong lost = new AtomicLong();

	private volatile Failure lastFailure;

	private volatile boolean stopping;

	private volatile Thread thread;

	private long nextAttempt;

	/**
	 * @param writer where records are stored
	 * @param capacity records the queue holds before callers spill to the journal
	 * @param batchSize records per write at most
	 * @param flushInterval longest wait for a batch to fill
	 * @param retryInterval wait after a failed write before the store is tried again
	 * @param journalDirectory where journals are kept
	 * @param shutdownTimeout longest wait for the last writes when stopping
	 */
	public AuditPipeline(AuditWriter writer, int capacity, int batchSize, Duration flushInterval,
			Duration retryInterval, Path journalDirectory, Duration shutdownTimeout) {
		this.writer = writer;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.batchSize = batchSize;
		this.flushInterval = flushInterval;
		this.retryInterval = retryInterval;
		this.shutdownTimeout = shutdownTimeout;
		this.journalDirectory = journalDirectory;
		this.journal = AuditJournal.forStream(journalDirectory, this.chain.streamId());
		this.leftOver = new ArrayList<>(AuditJournal.leftOver(journalDirectory, this.chain.streamId()));
		this.clock = Clock.systemUTC();
	}

	/**
	 * Queues the record; never waits on the store. When the queue is full the record is chained and
	 * goes to the journal on this thread (a local file append).
	 */
	public void submit(AuditRecord record) {
		if (!this.queue.offer(record)) {
			spillUnchained(List.of(record));
		}
	}

	/** The records as the next links of this pipeline's chain, in their order. */
	private List<AuditRecord> chained(List<AuditRecord> records) {
		List<AuditRecord> chained = new ArrayList<>(records.size());
		synchronized (this.chain) {
			for (AuditRecord record : records) {
				chained.add(this.chain.append(record));
			}
		}
		return chained;
	}

	/** Chains and journals in one step, so that the journal holds the links in chain order. */
	private void spillUnchained(List<AuditRecord> records) {
		synchronized (this.chain) {
			spill(chained(records));
		}
	}

	public String streamId() {
		return this.chain.streamId();
	}

	public Path journalDirectory() {
		return this.journalDirectory;
	}

	public int queueDepth() {
		return this.queue.size();
	}

	/** Records handed to the writer successfully (a record written back after a crash counts again). */
	public long written() {
		return this.written.get();
	}

	/** Records that went to the journal since start. */
	public long spilled() {
		return this.spilled.get();
	}

	/** Failed writes since start. */
	public long failures() {
		return this.failures.get();
	}

	/** Records neither stored nor journaled (the journal itself failed); should stay 0. */
	public long lost() {
		return this.lost.get();
	}

	/** Bytes in journals that still wait for the store. */
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
		Thread writerThread = new Thread(this::run, "mcp-governance-audit-writer");
		writerThread.setDaemon(true);
		this.stopping = false;
		this.thread = writerThread;
		writerThread.start();
	}

	@Override
	public void stop() {
		Thread writerThread = this.thread;
		if (writerThread == null) {
			return;
		}
		// No interrupt: it would close the journal's FileChannel in the middle of an append.
		this.stopping = true;
		try {
			writerThread.join(this.shutdownTimeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (writerThread.isAlive()) {
			// The store hangs: keep what is still queued on disk; the writer's own batch, if its
			// write fails, follows it there.
			List<AuditRecord> rest = new ArrayList<>();
			this.queue.drainTo(rest);
			spillUnchained(rest);
			logger.warn("The audit store did not answer within " + this.shutdownTimeout
					+ "; queued records were journaled in " + this.journalDirectory);
		}
		else {
			this.journal.close();
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void run() {
		while (true) {
			List<AuditRecord> taken = take();
			boolean last = this.stopping;
			if (last) {
				this.queue.drainTo(taken);
			}
			List<AuditRecord> batch = chained(taken);
			if (hasBacklog()) {
				spill(batch);
				if (last || this.clock.millis() >= this.nextAttempt) {
					writeBack();
				}
			}
			else if (!batch.isEmpty() && !write(batch)) {
				spill(batch);
			}
			if (last) {
				return;
			}
		}
	}

	private List<AuditRecord> take() {
		List<AuditRecord> batch = new ArrayList<>(this.batchSize);
		long deadline = System.nanoTime() + this.flushInterval.toNanos();
		try {
			AuditRecord first = null;
			// Short waits, so that stop() is noticed soon without interrupting this thread.
			while (first == null && !this.stopping) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				first = this.queue.poll(Math.min(left, STOP_CHECK_NANOS), TimeUnit.NANOSECONDS);
			}
			if (first != null) {
				batch.add(first);
				this.queue.drainTo(batch, this.batchSize - 1);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopping = true;
		}
		return batch;
	}

	private boolean hasBacklog() {
		synchronized (this.leftOver) {
			if (!this.leftOver.isEmpty()) {
				return true;
			}
		}
		return this.journal.hasPending();
	}

	/** Writes the journals back, oldest first; stops at the first failure. */
	private void writeBack() {
		while (true) {
			AuditJournal oldest;
			synchronized (this.leftOver) {
				oldest = this.leftOver.isEmpty() ? this.journal : this.leftOver.get(0);
			}
			if (!writeBack(oldest)) {
				return;
			}
			if (oldest == this.journal) {
				return;
			}
			synchronized (this.leftOver) {
				this.leftOver.remove(0);
			}
			oldest.close();
			logger.info("Wrote back the audit journal " + oldest.file() + " left by an earlier run");
		}
	}

	private boolean writeBack(AuditJournal source) {
		try {
			while (source.hasPending()) {
				AuditJournal.Batch batch = source.read(this.batchSize);
				if (!batch.records().isEmpty() && !write(batch.records())) {
					return false;
				}
				source.markStored(batch.end());
			}
			return true;
		}
		catch (IOException ex) {
			fail(ex);
			return false;
		}
	}

	private boolean write(List<AuditRecord> batch) {
		try {
			this.writer.write(batch);
			this.written.addAndGet(batch.size());
			return true;
		}
		catch (RuntimeException ex) {
			fail(ex);
			return false;
		}
	}

	private void fail(Exception ex) {
		this.failures.incrementAndGet();
		this.nextAttempt = this.clock.millis() + this.retryInterval.toMillis();
		// The type only: driver messages can quote statement parameters.
		this.lastFailure = new Failure(Instant.now(this.clock), ex.getClass().getName());
		logger.warn("Audit write failed (" + ex.getClass().getName() + "); records are kept in the queue and the journal in "
				+ this.journalDirectory + " until the store answers");
	}

	private void spill(List<AuditRecord> records) {
		if (records.isEmpty()) {
			return;
		}
		try {
			this.journal.append(records);
			this.spilled.addAndGet(records.size());
		}
		catch (IOException | RuntimeException ex) {
			this.lost.addAndGet(records.size());
			logger.error("Could not journal " + records.size() + " audit records in " + this.journalDirectory + " ("
					+ ex.getClass().getName() + "); they are lost");
		}
	}

	/**
	 * A failed write.
	 * @param at when it failed
	 * @param type the exception type
	 */
	public record Failure(Instant at, String type) {
	}

}
