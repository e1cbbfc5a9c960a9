package dev.mcpgovernance.adapter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP service for the adapter tests: answers {@code GET /items/<id>} with JSON naming
 * itself, or fails the way it is told to: 503, hang, 400. It can be stopped and started again on
 * the same port. Remembers when each item request arrived; {@code GET /health} is not counted.
 */
public final class TestUpstream implements AutoCloseable {

	public enum Mode {

		OK, UNAVAILABLE, BAD_REQUEST, HANG

	}

	private final String name;

	private final List<Long> requestNanos = new CopyOnWriteArrayList<>();

	private volatile Mode mode = Mode.OK;

	private volatile CountDownLatch release = new CountDownLatch(1);

	private HttpServer server;

	private int port;

	public TestUpstream(String name) {
		this.name = name;
		start();
	}

	public synchronized void start() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", this.port), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/items/", this::handle);
		this.server.createContext("/health", (exchange) -> respond(exchange, (this.mode == Mode.OK) ? 200 : 503, "{}"));
		this.server.start();
		this.port = this.server.getAddress().getPort();
	}

	/** Stops listening: connections are refused until {@link #start()}. */
	public synchronized void stop() {
		this.release.countDown();
		this.server.stop(0);
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	public void mode(Mode mode) {
		this.mode = mode;
		if (mode != Mode.HANG) {
			this.release.countDown();
			this.release = new CountDownLatch(1);
		}
	}

	public int requests() {
		return this.requestNanos.size();
	}

	/** Arrival times of the requests, in nanoseconds of {@link System#nanoTime()}. */
	public List<Long> requestNanos() {
		return List.copyOf(this.requestNanos);
	}

	public void reset() {
		this.requestNanos.clear();
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requestNanos.add(System.nanoTime());
		String id = exchange.getRequestURI().getPath().substring("/items/".length());
		switch (this.mode) {
			case OK -> respond(exchange, 200, "{\"id\":\"" + id + "\",\"source\":\"" + this.name + "\"}");
			case UNAVAILABLE -> respond(exchange, 503, "{\"error\":\"down for maintenance\"}");
			case BAD_REQUEST -> respond(exchange, 400, "{\"error\":\"bad id\"}");
			case HANG -> {
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				exchange.close();
			}
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		stop();
	}

}
