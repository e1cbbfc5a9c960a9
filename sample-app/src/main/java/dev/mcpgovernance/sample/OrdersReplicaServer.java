package dev.mcpgovernance.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import tools.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a read replica of the orders, so that the failover demo needs no other service: a
 * small HTTP server on 127.0.0.1 ({@code sample.orders-replica.port}, 8081 by default) that serves a
 * copy of the orders taken at start-up, like a replica that lags behind. Off with
 * {@code sample.orders-replica.enabled=false} (then the replica source fails too).
 */
@Component
public class OrdersReplicaServer implements SmartLifecycle {

	private final OrderRepository orders;

	private final ObjectMapper json;

	private final int port;

	private final boolean enabled;

	private volatile HttpServer server;

	private volatile List<Order> snapshot = List.of();

	public OrdersReplicaServer(OrderRepository orders, ObjectMapper json,
			@Value("${sample.orders-replica.port:8081}") int port,
			@Value("${sample.orders-replica.enabled:true}") boolean enabled) {
		this.orders = orders;
		this.json = json;
		this.port = port;
		this.enabled = enabled;
	}

	@Override
	public void start() {
		if (!this.enabled) {
			return;
		}
		this.snapshot = this.orders.list(null, 1000);
		try {
			HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", this.port), 0);
			http.createContext("/orders", this::orders);
			http.createContext("/health", (exchange) -> respond(exchange, 200, "{\"status\":\"UP\"}"));
			http.start();
			this.server = http;
		}
		catch (IOException ex) {
			throw new IllegalStateException("The orders replica cannot listen on 127.0.0.1:" + this.port
					+ "; set sample.orders-replica.port", ex);
		}
	}

	@Override
	public void stop() {
		HttpServer http = this.server;
		if (http != null) {
			http.stop(0);
			this.server = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/** Where the replica listens; a closed port when it is off, so that calls to it fail. */
	public String baseUrl() {
		HttpServer http = this.server;
		return "http://127.0.0.1:" + ((http != null) ? http.getAddress().getPort() : 9);
	}

	private void orders(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		if (path.startsWith("/orders/")) {
			String id = path.substring("/orders/".length());
			Optional<Order> order = this.snapshot.stream().filter((candidate) -> candidate.id().equals(id)).findFirst();
			if (order.isPresent()) {
				respond(exchange, 200, this.json.writeValueAsString(order.get()));
			}
			else {
				respond(exchange, 404, "{}");
			}
			return;
		}
		Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
		int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
		String status = query.get("status");
		List<Order> matching = this.snapshot.stream()
			.filter((order) -> status == null || order.status().equals(status))
			.limit(limit)
			.toList();
		respond(exchange, 200, this.json.writeValueAsString(matching));
	}

	private static Map<String, String> query(String raw) {
		if (raw == null || raw.isEmpty()) {
			return Map.of();
		}
		return Arrays.stream(raw.split("&"))
			.map((pair) -> pair.split("=", 2))
			.filter((pair) -> pair.length == 2)
			.collect(Collectors.toMap((pair) -> pair[0],
					(pair) -> java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8), (first, second) -> first));
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
