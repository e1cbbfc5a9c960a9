package com.example.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.sql.DataSource;

import dev.mcpgovernance.lint.GovernanceReporter;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerAspect;
import io.github.resilience4j.spring6.retry.configure.RetryAspect;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What adding the starter does to the rest of the quickstart's host application: nothing. No
 * database, Redis, Flyway or AspectJ appears on its behalf, its own paths and Actuator answer as before (no
 * login), and its health is UP on a machine without database or Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "MCP_GOVERNANCE_API_KEYS_PEPPER=" + QuickstartIntegrationTests.PEPPER)
@Import(QuickstartHostAppIntegrationTests.HostEndpoints.class)
class QuickstartHostAppIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	GovernanceReporter reporter;

	@Test
	void bringsNoDatabaseRedisOrFlyway() {
		assertThat(this.context.getBeanNamesForType(DataSource.class)).isEmpty();
		assertThat(ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", null))
			.isFalse();
		assertThat(ClassUtils.isPresent("org.flywaydb.core.Flyway", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.jdbc.core.JdbcTemplate", null)).isFalse();
	}

	@Test
	void bringsNoAspectJ() {
		// With AspectJ, Resilience4j's five annotation aspects would be matched against every bean at
		// start-up; the starter does not use them (an application that does adds AspectJ itself).
		assertThat(ClassUtils.isPresent("org.aspectj.weaver.Advice", null)).isFalse();
		assertThat(this.context.getBeanNamesForType(CircuitBreakerAspect.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(RetryAspect.class)).isEmpty();
	}

	@Test
	void theApplicationsOwnPathsAnswerAsBefore() throws Exception {
		HttpResponse<String> hello = get("/hello");
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(hello.body()).isEqualTo("hello");
		assertThat(get("/no-such-page").statusCode()).isEqualTo(404);
	}

	@Test
	void healthIsUpWithoutDatabaseOrRedis() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void theStartUpReportSaysWhereAuditGoesAndThatOtherPathsAreLeftAlone() {
		String report = this.reporter.report().render();
		assertThat(report).contains("audit=log")
			.contains("audit: to the log only (logger mcp.governance.audit); for a durable, queryable trail add "
					+ "mcp-governance-spring-boot-starter-jdbc and a DataSource")
			.contains("other paths: left as they were");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** A page the host application already served before it added the starter. */
	@TestConfiguration(proxyBeanMethods = false)
	@RestController
	static class HostEndpoints {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
