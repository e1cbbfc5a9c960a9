package dev.mcpgovernance;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own, on a free port, that the test may pause
 * ({@code SIGSTOP}), resume and kill: the machine's shared Redis on 6379 is used by other tests and
 * must never be stopped. The test is skipped when {@code redis-server} is not on the PATH.
 */
public final class RedisProcess implements AutoCloseable {

	private final int port;

	private Process process;

	private RedisProcess(int port) throws IOException {
		this.port = port;
		start();
	}

	/** Starts one on a free port, or skips the test when there is no {@code redis-server}. */
	public static RedisProcess start(int port) throws IOException {
		Assumptions.assumeTrue(executable() != null, "redis-server is not on the PATH: the test needs a Redis it may stop");
		return new RedisProcess(port);
	}

	public static RedisProcess startOnFreePort() throws IOException {
		return start(freePort());
	}

	public int port() {
		return this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * SIGSTOP: the process keeps its sockets, the kernel accepts connections, nothing answers. Returns
	 * once every thread of the process is stopped: {@code kill} returns when the signal is sent, and
	 * on a busy machine a thread may take a moment to act on it.
	 */
	public void pause() throws Exception {
		signal("STOP");
		awaitThreads(true);
	}

	/** SIGCONT, returning once no thread of the process is stopped any more. */
	public void resume() throws Exception {
		signal("CONT");
		awaitThreads(false);
	}

	private void awaitThreads(boolean stopped) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (threadsStopped() != stopped) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server " + pid() + " did not " + (stopped ? "stop" : "continue"));
			}
			Thread.sleep(5);
		}
	}

	/** Whether every thread of the process is in the stopped state ({@code T} in {@code /proc/<pid>/task/<tid>/stat}). */
	private boolean threadsStopped() throws IOException {
		try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
			for (Path task : tasks.toList()) {
				String stat = Files.readString(task.resolve("stat"));
				if (stat.charAt(stat.lastIndexOf(')') + 2) != 'T') {
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Makes Redis busy for {@code seconds} ({@code DEBUG SLEEP}): it answers nothing meanwhile, then
	 * answers again. Returns at once; the sleeping command runs on a thread of its own.
	 */
	public void sleep(double seconds) {
		Thread sleeper = new Thread(() -> {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
				socket.getOutputStream().write(("DEBUG SLEEP " + seconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
				socket.getInputStream().read();
			}
			catch (IOException ex) {
				// the test sees what Redis answered to the checks
			}
		}, "redis-debug-sleep");
		sleeper.setDaemon(true);
		sleeper.start();
	}

	/** SIGKILL, waited for: connections are reset, the port refuses. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/** Starts it again on the same port (after {@link #kill()}), empty. */
	public void restart() throws IOException {
		start();
	}

	@Override
	public void close() throws Exception {
		if (this.process != null && this.process.isAlive()) {
			// A paused process does not act on SIGTERM; SIGKILL ends it whatever its state.
			kill();
		}
	}

	private void start() throws IOException {
		this.process = new ProcessBuilder(executable(), "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--enable-debug-command", "local")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (answersPing()) {
				return;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.process.destroyForcibly();
		throw new IOException("redis-server did not answer on port " + this.port);
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = in.readNBytes(7);
			return "+PONG\r\n".equals(new String(answer, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void signal(String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String executable() {
		String path = System.getenv("PATH");
		for (String dir : ((path != null) ? path : "/usr/bin").split(File.pathSeparator)) {
			File candidate = new File(dir, "redis-server");
			if (candidate.canExecute()) {
				return candidate.getAbsolutePath();
			}
		}
		return null;
	}

}
