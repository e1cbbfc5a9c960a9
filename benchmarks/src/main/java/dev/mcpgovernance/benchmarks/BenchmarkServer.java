package dev.mcpgovernance.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mcpgovernance.audit.AuditPipeline;
import dev.mcpgovernance.identity.apikey.ApiKeyGenerator;
import dev.mcpgovernance.identity.apikey.ApiKeyHasher;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * One MCP server (STREAMABLE, 127.0.0.1, random port) with {@link BenchmarkTools}: either bare
 * Spring AI, with governance and Spring Security switched off, or governed by the starter with an
 * API key. Both start from the same build and the same class.
 */
public final class BenchmarkServer {

	private static final String PEPPER = "benchmark-pepper-0123456789abcdef0123";

	private final ConfigurableApplicationContext context;

	private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

	/** The key callers of the governed server send; {@code null} for the bare one. */
	private final String apiKey;

	/** Where the audit trail goes; {@code null} for the bare server. */
	private final AuditDatabase audit;

	private BenchmarkServer(ConfigurableApplicationContext context, String apiKey, AuditDatabase audit) {
		this.context = context;
		this.apiKey = apiKey;
		this.audit = audit;
	}

	/** A database the governed server audits into, and how to count its rows once the server stopped. */
	private record AuditDatabase(String url, String user, String schema) {

		long countRows() throws SQLException {
			try (Connection connection = DriverManager.getConnection(this.url, this.user, "");
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM mcp_governance_audit")) {
				rows.next();
				return rows.getLong(1);
			}
		}

		void dropSchema() throws SQLException {
			if (this.schema != null) {
				execute(POSTGRES, "DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
			}
		}

	}

	public static BenchmarkServer bare() {
		return bare(List.of());
	}

	/** {@link #bare()} with more properties, e.g. a fixed {@code server.port}. */
	public static BenchmarkServer bare(List<String> extraProperties) {
		List<String> properties = common();
		properties.add("mcp.governance.enabled=false");
		properties.add("spring.autoconfigure.exclude="
				+ "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
				+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
				+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
				+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
				+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
				+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
		properties.addAll(extraProperties);
		return new BenchmarkServer(start(properties), null, null);
	}

	/**
	 * The bare server with Spring Security in front and a chain that permits everything: what an app
	 * that already uses Spring Security pays before any governance (for profiles, not in the report).
	 */
	public static BenchmarkServer bareWithSecurity() {
		List<String> properties = common();
		properties.add("mcp.governance.enabled=false");
		properties.add("bench.permit-all-security=true");
		properties.add("spring.autoconfigure.exclude="
				+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
				+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
		return new BenchmarkServer(start(properties), null, null);
	}

	/**
	 * Governed with the first-run default: memory rate limits, the key table and the audit trail in
	 * embedded H2.
	 */
	public static BenchmarkServer governed() {
		// The in-JVM run counts every row after the run: above the in-memory default cap of 10,000 rows.
		return governed(List.of("mcp.governance.audit.in-memory-max-rows=100000000"));
	}

	/**
	 * Governed as {@link #governed()} but with the embedded audit table at its default cap (the newest
	 * 10,000 rows), plus more properties, e.g. to switch one part of governance off for a profile.
	 */
	public static BenchmarkServer governed(List<String> extraProperties) {
		String secret = ApiKeyGenerator.newSecret();
		// DB_CLOSE_DELAY=-1 keeps the in-memory database after the server stops, for counting audit rows.
		AuditDatabase audit = new AuditDatabase("jdbc:h2:mem:bench-governed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"sa", null);
		List<String> properties = governedProperties(secret);
		properties.add("spring.datasource.url=" + audit.url());
		properties.addAll(extraProperties);
		return new BenchmarkServer(start(properties), secret, audit);
	}

	/**
	 * Governed as several replicas would be: rate limits in the local Redis, the key table and the
	 * audit trail in the local PostgreSQL (a schema of its own, dropped after the run).
	 */
	public static BenchmarkServer governedOnRedisAndPostgres() throws SQLException {
		return governedOnRedisAndPostgres(List.of());
	}

	/** {@link #governedOnRedisAndPostgres()} with more properties, as {@link #governed(List)}. */
	public static BenchmarkServer governedOnRedisAndPostgres(List<String> extraProperties) throws SQLException {
		String secret = ApiKeyGenerator.newSecret();
		String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute(POSTGRES, "CREATE SCHEMA " + schema);
		AuditDatabase audit = new AuditDatabase(POSTGRES + "?currentSchema=" + schema, "postgres", schema);
		List<String> properties = governedProperties(secret);
		properties.add("spring.datasource.url=" + audit.url() + "&reWriteBatchedInserts=true");
		properties.add("spring.datasource.username=postgres");
		properties.add("mcp.governance.rate-limit.store=redis");
		properties.add("mcp.governance.rate-limit.redis.key-prefix=mcpg-bench:" + UUID.randomUUID() + ":");
		properties.add("spring.data.redis.host=127.0.0.1");
		properties.add("spring.data.redis.port=6379");
		properties.addAll(extraProperties);
		return new BenchmarkServer(start(properties), secret, audit);
	}

	private static List<String> governedProperties(String secret) {
		List<String> properties = common();
		properties.add("mcp.governance.api-keys.pepper=" + PEPPER);
		properties.add("mcp.governance.api-keys.declared[0].id=key_bench");
		properties.add("mcp.governance.api-keys.declared[0].hash=" + new ApiKeyHasher(PEPPER).hash(secret));
		properties.add("mcp.governance.api-keys.declared[0].owner-id=bench");
		properties.add("mcp.governance.api-keys.declared[0].scopes[0]=orders:*:read");
		// Limits are checked on every call but set high enough never to refuse one: the cost is measured.
		properties.add("mcp.governance.api-keys.declared[0].rate-limit-rpm=1000000000");
		properties.add("mcp.governance.rate-limit.tools[orders:order:read]=1000000000/min");
		properties.add("mcp.governance.rate-limit.global-tools[orders:order:read]=1000000000/min");
		properties.add("mcp.governance.rate-limit.budget=1000000000/day");
		return properties;
	}

	private static void execute(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
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
		// Split at the first '=' ourselves: SpringApplicationBuilder.properties(String...) also splits at
		// ':', which scope keys such as tools[orders:order:read] contain.
		Map<String, Object> map = new LinkedHashMap<>();
		for (String property : properties) {
			int equals = property.indexOf('=');
			map.put(property.substring(0, equals), property.substring(equals + 1));
		}
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET).properties(map).run();
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

	/**
	 * Stops the server (a graceful stop flushes the audit queue) and counts the audit rows it left.
	 * @return the rows, or -1 for the bare server
	 */
	public long stopAndCountAuditRows() throws SQLException {
		AuditCount count = stopAndCountAudit();
		return (count != null) ? count.rows() : -1;
	}

	/**
	 * Stops the server (a graceful stop flushes the audit queue) and says what became of its audit
	 * records: written to the store, lost, and the rows the table holds now (with an in-memory table
	 * at its cap, fewer than were written: the oldest are deleted on purpose).
	 * @return the counts, or {@code null} for the bare server
	 */
	public AuditCount stopAndCountAudit() throws SQLException {
		AuditPipeline pipeline = (this.audit != null) ? this.context.getBean(AuditPipeline.class) : null;
		stop();
		if (this.audit == null) {
			return null;
		}
		try {
			return new AuditCount(pipeline.written(), pipeline.lost(), this.audit.countRows());
		}
		finally {
			this.audit.dropSchema();
		}
	}

	/**
	 * What became of a governed server's audit records after its graceful stop.
	 * @param written records the store accepted (one row each)
	 * @param lost records dropped because the journal could not keep up
	 * @param rows rows in {@code mcp_governance_audit} now
	 */
	public record AuditCount(long written, long lost, long rows) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ BenchmarkTools.class, PermitAllSecurity.class })
	static class Application {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("bench.permit-all-security")
	static class PermitAllSecurity {

		@Bean
		SecurityFilterChain permitAll(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

}
