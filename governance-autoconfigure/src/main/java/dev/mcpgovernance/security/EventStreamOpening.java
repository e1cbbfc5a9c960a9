package dev.mcpgovernance.security;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The response of a request opening a legacy SSE event stream, whose flushes are held until the
 * request thread has left the chain. Spring AI 2.0.1's SSE transport writes the {@code endpoint}
 * event from the request thread without the lock its sessions write under, and Spring's SSE
 * builder clears its event buffer after flushing. A client that answers the flushed event at once
 * has its {@code initialize} answered from another thread into that same buffer, so the clearing
 * can wipe the answer's {@code event:} line, and the client drops the answer and times out (seen in
 * CI: one initialize in a few hundred). Held back, the client learns the message endpoint only
 * after the request thread is done with the builder. Bytes are never held back: they go to the
 * container's buffer as written; only the flush waits.
 */
final class EventStreamOpening extends HttpServletResponseWrapper {

	private volatile boolean holding = true;

	private volatile boolean flushHeld;

	private volatile ServletOutputStream stream;

	EventStreamOpening(HttpServletResponse response) {
		super(response);
	}

	@Override
	public void flushBuffer() throws IOException {
		if (this.holding) {
			this.flushHeld = true;
			return;
		}
		super.flushBuffer();
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.stream == null) {
			this.stream = new HeldFlushStream(super.getOutputStream());
		}
		return this.stream;
	}

	/** The request thread left the chain: flushes go through from now on, and a held one goes now. */
	void release() throws IOException {
		this.holding = false;
		if (this.flushHeld) {
			super.flushBuffer();
		}
	}

	private final class HeldFlushStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		HeldFlushStream(ServletOutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(int b) throws IOException {
			this.delegate.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.delegate.write(bytes, offset, length);
		}

		@Override
		public void flush() throws IOException {
			if (EventStreamOpening.this.holding) {
				EventStreamOpening.this.flushHeld = true;
				return;
			}
			this.delegate.flush();
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.delegate.setWriteListener(listener);
		}

	}

}
