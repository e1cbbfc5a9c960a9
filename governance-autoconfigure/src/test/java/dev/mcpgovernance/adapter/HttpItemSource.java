package dev.mcpgovernance.adapter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.tool.InvalidInput;

/** An {@link ItemSource} over HTTP, as an application would write one: 5xx is transient, 400 the caller's. */
public class HttpItemSource implements ItemSource {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final String baseUrl;

	private final boolean checksHealth;

	/** A source whose health check always passes (so that the order of the tests is their own). */
	public HttpItemSource(String name, String baseUrl) {
		this(name, baseUrl, false);
	}

	/** @param checksHealth whether the health check asks the upstream's {@code /health} */
	public HttpItemSource(String name, String baseUrl, boolean checksHealth) {
		this.name = name;
		this.baseUrl = baseUrl;
		this.checksHealth = checksHealth;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Item find(String id) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(this.baseUrl + "/items/" + id)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 500) {
			throw new TransientSourceException("HTTP " + response.statusCode());
		}
		if (response.statusCode() == 400) {
			throw new InvalidInput("id", "No item has this id.");
		}
		return JSON.readValue(response.body(), Item.class);
	}

	@Override
	public boolean isHealthy() throws IOException, InterruptedException {
		return !this.checksHealth || this.http
			.send(HttpRequest.newBuilder(URI.create(this.baseUrl + "/health")).GET().build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode() < 500;
	}

}
