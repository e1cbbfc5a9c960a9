package dev.mcpgovernance.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A local append-only file (JSON lines), the write-ahead log of the audit trail: every record is
 * appended here before the store is asked to take it. One file per writer stream,
 * {@code audit-<stream id>.jsonl}, locked by the process that owns it. Every append is forced to
 * disk before it returns. Records are read back from the oldest not yet stored; once every line is
 * stored the file is emptied (a new generation begins). A crash between storing and emptying replays
 * lines that are already stored, which writers ignore by record id and stream position.
 */
final class AuditJournal implements Closeable {

	static final String PREFIX = "audit-";

	static final String SUFFIX = ".jsonl";

	private static final Log logger = LogFactory.getLog(AuditJournal.class);

	private static final ObjectMapper JSON = JsonMapper.builder()
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	private static final int READ_CHUNK = 64 * 1024;

	private final Path file;

	private FileChannel channel;

	private FileLock lock;

	/** Bytes from the start of the file whose records are stored. */
	private long stored;

	private long skippedLines;

	/** Counts the times the file was emptied, so that a {@link Segment} of an earlier content is told apart. */
	private long generation;

	private AuditJournal(Path file) {
		this.file = file;
	}

	/** The journal of stream {@code streamId}; the file is created on the first append. */
	static AuditJournal forStream(Path directory, String streamId) {
		return new AuditJournal(directory.resolve(PREFIX + streamId + SUFFIX));
	}

	/**
	 * Journals left by earlier processes (crashed, or stopped while the store was down), each locked
	 * for this one; files another live process holds are left alone.
	 */
	static List<AuditJournal> leftOver(Path directory, String ownStreamId) {
		List<AuditJournal> journals = new ArrayList<>();
		if (!Files.isDirectory(directory)) {
			return journals;
		}
		String own = PREFIX + ownStreamId + SUFFIX;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
			for (Path file : files) {
				if (file.getFileName().toString().equals(own)) {
					continue;
				}
				AuditJournal journal = new AuditJournal(file);
				if (journal.tryOpen()) {
					journals.add(journal);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the audit journal directory " + directory, ex);
		}
		journals.sort((a, b) -> a.file.getFileName().compareTo(b.file.getFileName()));
		return journals;
	}

	Path file() {
		return this.file;
	}

	/** Appends the records at the end and forces them to disk; returns where they are. */
	synchronized Segment append(List<AuditRecord> records) throws IOException {
		if (this.channel == null) {
			Files.createDirectories(this.file.getParent());
			if (!tryOpen()) {
				throw new IOException("The audit journal " + this.file + " is locked by another process");
			}
		}
		ByteArrayOutputStream lines = new ByteArrayOutputStream(records.size() * 512);
		for (AuditRecord record : records) {
			lines.write(JSON.writeValueAsBytes(record));
			lines.write('\n');
		}
		ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
		long start = this.channel.size();
		long position = start;
		while (buffer.hasRemaining()) {
			position += this.channel.write(buffer, position);
		}
		this.channel.force(false);
		return new Segment(this.generation, start, position);
	}

	/** Whether the segment is the oldest part of the file not stored yet. */
	synchronized boolean isNext(Segment segment) {
		return segment.generation() == this.generation && segment.start() == this.stored;
	}

	/** Whether the segment is stored already (an earlier generation of the file, or before its mark). */
	synchronized boolean isStored(Segment segment) {
		return segment.generation() < this.generation
				|| (segment.generation() == this.generation && segment.end() <= this.stored);
	}

	/** Whether it holds records that are not stored yet. */
	synchronized boolean hasPending() {
		try {
			return this.channel != null && this.channel.size() > this.stored;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** Bytes not stored yet. */
	synchronized long pendingBytes() {
		try {
			return (this.channel != null) ? this.channel.size() - this.stored : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	synchronized long skippedLines() {
		return this.skippedLines;
	}

	/** Up to {@code max} records from the oldest one not stored yet, without marking them stored. */
	synchronized Batch read(int max) throws IOException {
		List<AuditRecord> records = new ArrayList<>();
		if (this.channel == null) {
			return new Batch(records, this.stored);
		}
		long position = this.stored;
		long size = this.channel.size();
		ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
		ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
		long end = position;
		while (records.size() < max && position < size) {
			buffer.clear();
			int read = this.channel.read(buffer, position);
			if (read <= 0) {
				break;
			}
			for (int i = 0; i < read && records.size() < max; i++) {
				byte b = buffer.get(i);
				if (b == '\n') {
					parse(line.toByteArray(), records);
					line.reset();
					end = position + i + 1;
				}
				else {
					line.write(b);
				}
			}
			position += read;
		}
		// Appends always end with a newline; text after the last one is a write cut short by a crash.
		if (records.size() < max && line.size() > 0 && position >= size) {
			parse(line.toByteArray(), records);
			end = size;
		}
		return new Batch(records, end);
	}

	/** Marks everything before {@code end} stored; empties the file once all of it is. */
	synchronized void markStored(long end) throws IOException {
		this.stored = Math.max(this.stored, end);
		if (this.channel != null && this.stored >= this.channel.size()) {
			// Not forced: this runs after every stored batch, and a crash before the truncation reaches
			// the disk only replays lines that are stored already (skipped by id).
			this.channel.truncate(0);
			this.stored = 0;
			this.generation++;
		}
	}

	@Override
	public synchronized void close() {
		if (this.channel == null) {
			return;
		}
		try {
			boolean empty = this.channel.size() == 0;
			this.lock.release();
			this.channel.close();
			if (empty) {
				Files.deleteIfExists(this.file);
			}
		}
		catch (IOException ex) {
			logger.warn("Could not close the audit journal " + this.file + ": " + ex.getClass().getSimpleName());
		}
		this.channel = null;
	}

	private boolean tryOpen() {
		try {
			FileChannel opened = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock acquired;
			try {
				acquired = opened.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				acquired = null;
			}
			if (acquired == null) {
				opened.close();
				return false;
			}
			this.channel = opened;
			this.lock = acquired;
			return true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not open the audit journal " + this.file, ex);
		}
	}

	private void parse(byte[] line, List<AuditRecord> records) {
		if (line.length == 0) {
			return;
		}
		try {
			records.add(JSON.readValue(line, AuditRecord.class));
		}
		catch (JacksonException ex) {
			// Only a line cut short by a crash gets here; its content is not logged.
			this.skippedLines++;
			logger.warn("Skipped an unreadable line in the audit journal " + this.file);
		}
	}

	static String toJson(AuditRecord record) {
		try {
			return JSON.writeValueAsString(record);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("An audit record is always serializable", ex);
		}
	}

	/**
	 * Where an append put its records.
	 * @param generation the file's generation at the time
	 * @param start the position of the first record
	 * @param end the position after the last record
	 */
	record Segment(long generation, long start, long end) {

		/** Whether this segment starts where another of the same journal generation ended. */
		boolean follows(long generation, long end) {
			return this.generation == generation && this.start == end;
		}

	}

	/** Records read from a journal and the file position after the last of them. */
	record Batch(List<AuditRecord> records, long end) {
	}

}
