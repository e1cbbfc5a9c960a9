package dev.mcpgovernance.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;

/**
 * A load driver light enough to run beside the server it measures: raw HTTP/1.1 over one keep-alive
 * socket per MCP session, the {@code tools/call} request serialized once, and of each answer only the
 * status line, the headers and the body's framing read (plus one scan for {@code "isError":false}).
 * Nothing is parsed as JSON. Each session initializes as an MCP client does ({@code initialize},
 * {@code notifications/initialized}), then calls {@code get_order} in a closed loop.
 *
 * <pre>java -cp … dev.mcpgovernance.benchmarks.RawLoadDriver port apiKey|- sessions warmUpSeconds seconds [serverPid]</pre>
 *
 * prints calls/s, latency percentiles, the driver's own CPU per call and, given the server's pid, the
 * server's CPU per call (from {@code /proc/<pid>/stat}) and the ratio of the two.
 */
public final class RawLoadDriver {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-bench\",\"version\":\"1\"}}}";

	private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

	private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
			+ "{\"name\":\"get_order\",\"arguments\":{\"orderId\":\"ord_1001\"}}}";

	private static final byte[] SUCCESS = "\"isError\":false".getBytes(StandardCharsets.US_ASCII);

	/** Linux's USER_HZ, the unit of utime and stime in /proc/&lt;pid&gt;/stat. */
	private static final long CLOCK_TICKS_PER_SECOND = 100;

	private RawLoadDriver() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		String apiKey = args[1].equals("-") ? null : args[1];
		int sessions = Integer.parseInt(args[2]);
		Duration warmUp = Duration.ofSeconds(Long.parseLong(args[3]));
		Duration measured = Duration.ofSeconds(Long.parseLong(args[4]));
		long serverPid = (args.length > 5) ? Long.parseLong(args[5]) : -1;
		try (Sessions load = new Sessions(port, apiKey, sessions)) {
			load.slice(warmUp, -1);
			Slice slice = load.slice(measured, serverPid);
			System.out.println(slice.describe());
		}
	}

	/** The CPU time a process has used so far, from {@code /proc/<pid>/stat} (utime + stime). */
	static long processCpuNanos(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// After "pid (comm) ", field 3 (state) is index 0: utime (14) and stime (15) are 11 and 12.
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the CPU time of process " + pid, ex);
		}
	}

	/** One measured slice: what the driver saw and what both processes spent. */
	record Slice(int sessions, Histogram latencies, long calls, long errors, double seconds, long driverCpuNanos,
			long serverCpuNanos) {

		double callsPerSecond() {
			return this.calls / this.seconds;
		}

		double driverCpuMicrosPerCall() {
			return this.driverCpuNanos / 1e3 / Math.max(1, this.calls);
		}

		double serverCpuMicrosPerCall() {
			return this.serverCpuNanos / 1e3 / Math.max(1, this.calls);
		}

		String describe() {
			return String.format(Locale.ROOT,
					"sessions=%d calls=%d errors=%d seconds=%.2f calls/s=%.0f p50=%.0fus p99=%.0fus p99.9=%.0fus "
							+ "driverCpu/call=%.1fus serverCpu/call=%s driver/server=%s",
					this.sessions, this.calls, this.errors, this.seconds, callsPerSecond(),
					this.latencies.getValueAtPercentile(50) / 1e3, this.latencies.getValueAtPercentile(99) / 1e3,
					this.latencies.getValueAtPercentile(99.9) / 1e3, driverCpuMicrosPerCall(),
					(this.serverCpuNanos >= 0) ? String.format(Locale.ROOT, "%.1fus", serverCpuMicrosPerCall()) : "-",
					(this.serverCpuNanos > 0) ? String.format(Locale.ROOT, "%.3f",
							(double) this.driverCpuNanos / this.serverCpuNanos) : "-");
		}

	}

	/** N sessions on one server, kept open across slices. */
	static final class Sessions implements AutoCloseable {

		private final List<Session> sessions = new ArrayList<>();

		Sessions(int port, String apiKey, int count) throws IOException {
			for (int i = 0; i < count; i++) {
				this.sessions.add(new Session(port, apiKey));
			}
		}

		/** One call on the first session: whether it was answered without error. */
		boolean first() throws IOException {
			return this.sessions.get(0).call();
		}

		/**
		 * Calls in a closed loop on every session for the period. The threads are started before the
		 * clock and the CPU counters start, and begin together.
		 * @param serverPid the server whose CPU time to count, or -1
		 */
		Slice slice(Duration period, long serverPid) throws InterruptedException {
			Histogram latencies = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
			long[] calls = new long[this.sessions.size()];
			long[] errors = new long[this.sessions.size()];
			AtomicBoolean running = new AtomicBoolean(true);
			CountDownLatch ready = new CountDownLatch(this.sessions.size());
			CountDownLatch go = new CountDownLatch(1);
			CountDownLatch done = new CountDownLatch(this.sessions.size());
			for (int i = 0; i < this.sessions.size(); i++) {
				Session session = this.sessions.get(i);
				int index = i;
				new Thread(() -> {
					Histogram own = new Histogram(Duration.ofSeconds(30).toNanos(), 3);
					try {
						ready.countDown();
						go.await();
						while (running.get()) {
							long start = System.nanoTime();
							boolean ok = session.call();
							own.recordValue(Math.min(System.nanoTime() - start, own.getHighestTrackableValue()));
							calls[index]++;
							if (!ok) {
								errors[index]++;
							}
						}
					}
					catch (IOException ex) {
						errors[index]++;
						System.err.println("session failed: " + ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						synchronized (latencies) {
							latencies.add(own);
						}
						done.countDown();
					}
				}, "raw-caller").start();
			}
			ready.await();
			long serverBefore = (serverPid > 0) ? processCpuNanos(serverPid) : 0;
			long driverBefore = OS.getProcessCpuTime();
			long started = System.nanoTime();
			go.countDown();
			Thread.sleep(period.toMillis());
			running.set(false);
			done.await();
			long seconds = System.nanoTime() - started;
			long driverCpu = OS.getProcessCpuTime() - driverBefore;
			long serverCpu = (serverPid > 0) ? processCpuNanos(serverPid) - serverBefore : -1;
			long totalCalls = 0;
			long totalErrors = 0;
			for (int i = 0; i < calls.length; i++) {
				totalCalls += calls[i];
				totalErrors += errors[i];
			}
			return new Slice(this.sessions.size(), latencies, totalCalls, totalErrors, seconds / 1e9, driverCpu,
					serverCpu);
		}

		@Override
		public void close() {
			this.sessions.forEach(Session::close);
		}

	}

	/** One MCP session on one keep-alive connection. */
	static final class Session {

		private final int port;

		private Socket socket;

		private OutputStream out;

		private InputStream in;

		private final byte[] call;

		private final byte[] delete;

		private final Response response = new Response();

		Session(int port, String apiKey) throws IOException {
			this.port = port;
			connect();
			String common = "Host: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
					+ "Accept: application/json, text/event-stream\r\n"
					+ ((apiKey != null) ? "X-API-Key: " + apiKey + "\r\n" : "");
			exchange(request(common, INITIALIZE), 200);
			String sessionId = this.response.sessionId;
			if (sessionId == null) {
				throw new IOException("initialize answered without Mcp-Session-Id");
			}
			common += "Mcp-Session-Id: " + sessionId + "\r\nMCP-Protocol-Version: 2025-06-18\r\n";
			exchange(request(common, INITIALIZED), 202);
			this.call = request(common, CALL);
			this.delete = ("DELETE /mcp HTTP/1.1\r\n" + common + "\r\n").getBytes(StandardCharsets.US_ASCII);
		}

		private void connect() throws IOException {
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
			this.socket.setSoTimeout(30_000);
			this.out = this.socket.getOutputStream();
			this.in = new BufferedInputStream(this.socket.getInputStream(), 16 * 1024);
		}

		/** A server that closes the connection (Tomcat does after max-keep-alive-requests) gets a new one. */
		private void afterResponse() throws IOException {
			if (this.response.close) {
				closeSocket();
				connect();
			}
		}

		private static byte[] request(String headers, String body) {
			byte[] content = body.getBytes(StandardCharsets.UTF_8);
			byte[] head = ("POST /mcp HTTP/1.1\r\n" + headers + "Content-Length: " + content.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII);
			byte[] request = new byte[head.length + content.length];
			System.arraycopy(head, 0, request, 0, head.length);
			System.arraycopy(content, 0, request, head.length, content.length);
			return request;
		}

		private void exchange(byte[] request, int expectedStatus) throws IOException {
			this.out.write(request);
			this.out.flush();
			this.response.read(this.in);
			afterResponse();
			if (this.response.status != expectedStatus) {
				throw new IOException("expected HTTP " + expectedStatus + ", got " + this.response.status);
			}
		}

		/** One {@code tools/call}; whether it answered 200 with a result that is not an error. */
		boolean call() throws IOException {
			this.out.write(this.call);
			this.out.flush();
			this.response.read(this.in);
			afterResponse();
			return this.response.status == 200 && this.response.bodyContains(SUCCESS);
		}

		/**
		 * Ends the MCP session as a client does (DELETE), so that the next slice's sessions stay within
		 * the governed server's sessions per caller, then closes the connection.
		 */
		void close() {
			try {
				this.out.write(this.delete);
				this.out.flush();
				this.response.read(this.in);
			}
			catch (IOException ex) {
				// The session ends with the server's idle timeout instead.
			}
			closeSocket();
		}

		private void closeSocket() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing at the end of the run: nothing left to measure.
			}
		}

	}

	/**
	 * Reads one HTTP/1.1 response: status, the headers the framing needs, the body (by
	 * Content-Length or chunked) into a reused buffer. No HTTP library, no JSON.
	 */
	static final class Response {

		int status;

		String sessionId;

		/** Whether the server said it closes the connection after this response. */
		boolean close;

		private byte[] body = new byte[4096];

		private int length;

		private final byte[] line = new byte[8192];

		void read(InputStream in) throws IOException {
			this.sessionId = null;
			this.close = false;
			this.length = 0;
			String statusLine = readLine(in);
			// "HTTP/1.1 200 " : the code is the three digits after the first space.
			this.status = Integer.parseInt(statusLine.substring(9, 12));
			long contentLength = -1;
			boolean chunked = false;
			String header;
			while (!(header = readLine(in)).isEmpty()) {
				int colon = header.indexOf(':');
				String name = header.substring(0, colon);
				if (name.equalsIgnoreCase("Content-Length")) {
					contentLength = Long.parseLong(header.substring(colon + 1).trim());
				}
				else if (name.equalsIgnoreCase("Transfer-Encoding")) {
					chunked = header.substring(colon + 1).trim().equalsIgnoreCase("chunked");
				}
				else if (name.equalsIgnoreCase("Connection")) {
					this.close = header.substring(colon + 1).trim().equalsIgnoreCase("close");
				}
				else if (name.equalsIgnoreCase("Mcp-Session-Id")) {
					this.sessionId = header.substring(colon + 1).trim();
				}
			}
			if (chunked) {
				int size;
				while ((size = Integer.parseInt(readLine(in).trim(), 16)) > 0) {
					readBody(in, size);
					readLine(in);
				}
				// Trailers, if any, end with an empty line.
				while (!readLine(in).isEmpty()) {
				}
			}
			else if (contentLength > 0) {
				readBody(in, (int) contentLength);
			}
		}

		boolean bodyContains(byte[] needle) {
			outer: for (int i = 0; i <= this.length - needle.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (this.body[i + j] != needle[j]) {
						continue outer;
					}
				}
				return true;
			}
			return false;
		}

		private void readBody(InputStream in, int size) throws IOException {
			if (this.length + size > this.body.length) {
				this.body = java.util.Arrays.copyOf(this.body, Math.max(this.body.length * 2, this.length + size));
			}
			int read = 0;
			while (read < size) {
				int n = in.read(this.body, this.length + read, size - read);
				if (n < 0) {
					throw new IOException("connection closed in a body");
				}
				read += n;
			}
			this.length += size;
		}

		private String readLine(InputStream in) throws IOException {
			int n = 0;
			int b;
			while ((b = in.read()) != '\n') {
				if (b < 0) {
					throw new IOException("connection closed by the server");
				}
				if (b != '\r' && n < this.line.length) {
					this.line[n++] = (byte) b;
				}
			}
			return new String(this.line, 0, n, StandardCharsets.ISO_8859_1);
		}

	}

}
