package dev.mcpgovernance.it.connector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server playing the Petstore 3 API behind a connector (JDK HttpServer, random port).
 * It records every request as it arrived (raw path, raw query, Authorization header, body) so
 * tests can see exactly what the connector sent.
 */
final class PetstoreUpstream implements AutoCloseable {

	static final String INTERNALS = "java.lang.IllegalStateException at com.petstore.internal.PetDao(PetDao.java:42)";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpServer server;

	private final List<Recorded> requests = new CopyOnWriteArrayList<>();

	private PetstoreUpstream(HttpServer server) {
		this.server = server;
	}

	static PetstoreUpstream start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		PetstoreUpstream upstream = new PetstoreUpstream(server);
		server.createContext("/", upstream::handle);
		server.start();
		return upstream;
	}

	/** The base URL the spec's relative server {@code /api/v3} stands for. */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/api/v3";
	}

	List<Recorded> requests() {
		return List.copyOf(this.requests);
	}

	Recorded lastRequest() {
		return this.requests.get(this.requests.size() - 1);
	}

	void clear() {
		this.requests.clear();
	}

	/** The requests that reached {@code rawPath}. */
	long requestsTo(String rawPath) {
		return this.requests.stream().filter((request) -> request.rawPath().equals(rawPath)).count();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String path = exchange.getRequestURI().getRawPath();
		this.requests.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
				exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("api_key"),
				body));
		String method = exchange.getRequestMethod();
		if (method.equals("GET") && path.equals("/api/v3/pet/500")) {
			respond(exchange, 500, "text/plain", INTERNALS);
		}
		else if (method.equals("GET") && path.equals("/api/v3/pet/503")) {
			respond(exchange, 503, "text/plain", INTERNALS);
		}
		else if (method.equals("GET") && path.equals("/api/v3/pet/404")) {
			respond(exchange, 404, "application/json", "{\"code\":404,\"message\":\"Pet not found in table pets\"}");
		}
		else if (method.equals("GET") && path.startsWith("/api/v3/pet/findByStatus")) {
			respond(exchange, 200, "application/json", JSON.writeValueAsString(List.of(pet(1, "doggie"), pet(2, "kitty"))));
		}
		else if (method.equals("GET") && path.startsWith("/api/v3/pet/")) {
			long id = Long.parseLong(path.substring("/api/v3/pet/".length()));
			respond(exchange, 200, "application/json", JSON.writeValueAsString(pet(id, "doggie")));
		}
		else if (method.equals("POST") && path.equals("/api/v3/pet")) {
			Map<?, ?> pet = JSON.readValue(body, Map.class);
			respond(exchange, 200, "application/json", JSON.writeValueAsString(Map.of("id", 99, "name", pet.get("name"))));
		}
		else if (method.equals("GET") && path.startsWith("/api/v3/user/")) {
			respond(exchange, 200, "application/json",
					JSON.writeValueAsString(Map.of("username", path.substring("/api/v3/user/".length()))));
		}
		else {
			respond(exchange, 404, "text/plain", "no such route");
		}
	}

	private static Map<String, Object> pet(long id, String name) {
		return Map.of("id", id, "name", name, "photoUrls", List.of(), "status", "available", "category",
				Map.of("id", 1, "name", "Dogs"));
	}

	private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.getResponseHeaders().set("X-Internal-Host", "petstore-db-7.internal");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** One request as the upstream received it. */
	record Recorded(String method, String rawPath, String rawQuery, String authorization, String apiKey, String body) {
	}

}
