package dev.mcpgovernance.benchmarks;

import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.identity.ApiKeyGenerator;
import dev.mcpgovernance.identity.ApiKeyHasher;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * One MCP server (STREAMABLE, 127.0.0.1, random port) with {@link BenchmarkTools}: either bare
 * Spring AI, with governance and Spring Security switched off, or governed by the starter with an
 * API key. Both start from the same build and the same class.
 */
public final class BenchmarkServer {

	private static final String PEPPER = "benchmark-pepper-0123456789abcdef0123";

	private final ConfigurableApplicationContext context;

	/** The key callers of the governed server send; {@code null} for the bare one. */
	private final String apiKey;

	private BenchmarkServer(ConfigurableApplicationContext context, String apiKey) {
		this.context = context;
		this.apiKey = apiKey;
	}

	public static BenchmarkServer bare() {
		List<String> properties = common();
		properties.add("mcp.governance.enabled=false");
		properties.add("spring.autoconfigure.exclude="
				+ "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration,"
				+ "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration,"
				+ "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration,"
				+ "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
				+ "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration");
		return new BenchmarkServer(start(properties), null);
	}

	/** Governed with memory stores (rate limits) and the embedded H2 key table (the first-run default). */
	public static BenchmarkServer governed() {
		String secret = ApiKeyGenerator.newSecret();
		List<String> properties = common();
		properties.add("spring.datasource.url=jdbc:h2:mem:bench-governed;DB_CLOSE_DELAY=-1");
		properties.add("mcp.governance.api-keys.pepper=" + PEPPER);
		properties.add("mcp.governance.api-keys.declared[0].id=key_bench");
		properties.add("mcp.governance.api-keys.declared[0].hash=" + new ApiKeyHasher(PEPPER).hash(secret));
		properties.add("mcp.governance.api-keys.declared[0].owner-id=bench");
		properties.add("mcp.governance.api-keys.declared[0].scopes[0]=orders:*:read");
		// Limits are checked on every call but set high enough never to refuse one: the cost is measured.
		properties.add("mcp.governance.api-keys.declared[0].rate-limit-rpm=1000000000");
		return new BenchmarkServer(start(properties), secret);
	}

	private static List<String> common() {
		List<String> properties = new ArrayList<>();
		properties.add("server.address=127.0.0.1");
		properties.add("server.port=0");
		properties.add("spring.main.banner-mode=off");
		properties.add("logging.level.root=WARN");
		properties.add("spring.ai.mcp.server.protocol=STREAMABLE");
		properties.add("server.tomcat.threads.max=200");
		return properties;
	}

	private static ConfigurableApplicationContext start(List<String> properties) {
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public String apiKey() {
		return this.apiKey;
	}

	public void stop() {
		this.context.close();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BenchmarkTools.class)
	static class Application {

	}

}
