package dev.mcpgovernance.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.adapter.TransientSourceException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The fallback source: an HTTP "orders replica". By default the one {@link OrdersReplicaServer}
 * runs inside this app; {@code sample.orders-replica.url} points at another. A 5xx is transient (the
 * starter retries it), a 404 means no such order.
 */
@Component
@org.springframework.core.annotation.Order(2)
public class ReplicaOrderSource implements OrderSource {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ObjectMapper json;

	private final OrdersReplicaServer localReplica;

	private final String url;

	public ReplicaOrderSource(ObjectMapper json, OrdersReplicaServer localReplica,
			@Value("${sample.orders-replica.url:}") String url) {
		this.json = json;
		this.localReplica = localReplica;
		this.url = url;
	}

	@Override
	public String name() {
		return "orders-replica";
	}

	@Override
	public Optional<Order> find(String id) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/orders/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		return Optional.of(this.json.readValue(response.body(), Order.class));
	}

	@Override
	public List<Order> list(String status, int limit) throws IOException, InterruptedException {
		String query = "?limit=" + limit + ((status != null) ? "&status=" + URLEncoder.encode(status, StandardCharsets.UTF_8) : "");
		return this.json.readValue(get("/orders" + query).body(), new TypeReference<List<Order>>() {
		});
	}

	@Override
	public boolean isHealthy() throws IOException, InterruptedException {
		return get("/health").statusCode() == 200;
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		String base = StringUtils.hasText(this.url) ? this.url : this.localReplica.baseUrl();
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 500) {
			throw new TransientSourceException("Orders replica answered HTTP " + response.statusCode());
		}
		return response;
	}

}
