package dev.mcpgovernance.session;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.apikey.ApiKeyManager.CreatedApiKey;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.testapp.GovernedTestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session belongs to the caller that opened it: another caller's request naming it (POST, GET of
 * its event stream, DELETE) is answered exactly as an unknown session, is served nothing, is
 * audited and counted, and the owner's session goes on working. Revoking the owner's key or the end
 * of its validity ends the session and its open event stream. Through raw HTTP (no MCP client sends
 * another caller's session id) against a running server.
 */
@SpringBootTest(classes = GovernedTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.ai.mcp.server.protocol=STREAMABLE",
				"spring.datasource.url=jdbc:h2:mem:session-binding-it;DB_CLOSE_DELAY=-1",
				"mcp.governance.api-keys.pepper=integration-test-pepper-0123456789abcdef",
				"mcp.governance.sessions.max-per-caller=3" })
class SessionBindingIntegrationTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	ApiKeyManager apiKeys;

	@Autowired
	SessionRegistry sessions;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcClient jdbc;

	RawMcp mcp;

	@BeforeEach
	void client() {
		this.mcp = new RawMcp(this.port);
	}

	private CreatedApiKey createKey(String owner) {
		return createKey(owner, null);
	}

	private CreatedApiKey createKey(String owner, Instant expiresAt) {
		return this.apiKeys.create(owner, "Owner " + owner, ScopeSet.parse(List.of("inventory:*:read")), 100_000,
				expiresAt);
	}

	private String key(String owner) {
		return createKey(owner).secret();
	}

	@Test
	void anotherCallersPostIsAnsweredAsAnUnknownSessionAndServedNothing() throws Exception {
		String alice = key("alice");
		String bob = key("bob");
		String session = this.mcp.openSession(alice);

		HttpResponse<String> stolen = this.mcp.post(bob, session, RawMcp.TOOLS_LIST);
		HttpResponse<String> unknown = this.mcp.post(bob, "no-such-session", RawMcp.TOOLS_LIST);

		assertSessionNotFound(stolen, 42);
		assertThat(stolen.body()).isEqualTo(unknown.body()).doesNotContain("alice").doesNotContain("tools");
		assertThat(stolen.headers().map().keySet()).isEqualTo(unknown.headers().map().keySet());
		assertStillWorks(alice, session);
	}

	@Test
	void anotherCallerCannotOpenTheSessionsEventStream() throws Exception {
		String alice = key("alice-get");
		String bob = key("bob-get");
		String session = this.mcp.openSession(alice);

		HttpResponse<String> stolen = this.mcp.get(bob, session);
		HttpResponse<String> unknown = this.mcp.get(bob, "no-such-session");

		assertSessionNotFound(stolen, null);
		assertThat(stolen.body()).isEqualTo(unknown.body());
		CompletableFuture<HttpResponse<String>> own = this.mcp.openStream(alice, session);
		assertThat(RawMcp.staysOpen(own)).as("the owner's event stream is open").isTrue();
		own.cancel(true);
		assertStillWorks(alice, session);
	}

	@Test
	void anotherCallerCannotDeleteTheSession() throws Exception {
		String alice = key("alice-delete");
		String bob = key("bob-delete");
		String session = this.mcp.openSession(alice);

		HttpResponse<String> stolen = this.mcp.delete(bob, session);

		assertSessionNotFound(stolen, null);
		assertThat(stolen.body()).isEqualTo(this.mcp.delete(bob, "no-such-session").body());
		assertStillWorks(alice, session);
		assertThat(this.mcp.delete(alice, session).statusCode()).isEqualTo(200);
		assertSessionNotFound(this.mcp.post(alice, session, RawMcp.TOOLS_LIST), 42);
	}

	@Test
	void aMismatchIsAuditedAndCountedWithoutNamingTheOwnerOrTheSession() throws Exception {
		CreatedApiKey alice = createKey("alice-audit");
		CreatedApiKey bob = createKey("bob-audit");
		String session = this.mcp.openSession(alice.secret());
		double mismatches = refused("mismatch");
		double unknowns = refused("unknown");

		this.mcp.post(bob.secret(), session, RawMcp.TOOLS_LIST);
		this.mcp.post(bob.secret(), "no-such-session", RawMcp.TOOLS_LIST);

		assertThat(refused("mismatch")).isEqualTo(mismatches + 1);
		assertThat(refused("unknown")).isEqualTo(unknowns + 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM mcp_governance_audit WHERE error_code = 'session_mismatch'"
					+ " AND key_id = ?").param(bob.key().id()).query(Long.class).single() == 1);
		List<String> record = this.jdbc
			.sql("SELECT concat_ws('|', key_id, owner_id, tool, outcome, data_source, argument_shape) FROM mcp_governance_audit"
					+ " WHERE error_code = 'session_mismatch' AND key_id = ?")
			.param(bob.key().id())
			.query(String.class)
			.list();
		assertThat(record).singleElement()
			.satisfies((row) -> assertThat(row).startsWith(bob.key().id() + "|bob-audit|mcp.session.post|denied|session-")
				.doesNotContain("alice")
				.doesNotContain(alice.key().id())
				.doesNotContain(session));
	}

	@Test
	void revokingTheKeyEndsItsSessionsAndClosesTheirEventStream() throws Exception {
		CreatedApiKey alice = createKey("alice-revoked");
		String session = this.mcp.openSession(alice.secret());
		CompletableFuture<HttpResponse<String>> stream = this.mcp.openStream(alice.secret(), session);
		assertThat(RawMcp.staysOpen(stream)).isTrue();
		int before = this.sessions.active();

		this.apiKeys.revoke(alice.key().id());

		assertThat(RawMcp.ends(stream, Duration.ofSeconds(5))).as("the open event stream ends").isTrue();
		assertThat(this.sessions.active()).isEqualTo(before - 1);
		assertThat(this.sessions.check(session, alice.key().toIdentity(Transport.HTTP)))
			.isEqualTo(SessionRegistry.Verdict.ENDED);
	}

	@Test
	void theEndOfTheKeysValidityEndsItsSessionAndItsEventStream() throws Exception {
		CreatedApiKey alice = createKey("alice-expiring", Instant.now().plusSeconds(3));
		String session = this.mcp.openSession(alice.secret());
		CompletableFuture<HttpResponse<String>> stream = this.mcp.openStream(alice.secret(), session);
		assertThat(RawMcp.staysOpen(stream)).isTrue();
		double ended = refused("ended");

		assertThat(RawMcp.ends(stream, Duration.ofSeconds(10))).as("the open event stream ends").isTrue();
		// The key is refused now, so ask as the registry would for a caller still holding it.
		assertThat(this.sessions.check(session, alice.key().toIdentity(Transport.HTTP)))
			.isEqualTo(SessionRegistry.Verdict.ENDED);
		assertThat(refused("ended")).isEqualTo(ended);
	}

	@Test
	void aCallerAtItsLimitIsRefusedANewSessionUntilItDeletesOne() throws Exception {
		String carol = key("carol");
		String first = this.mcp.openSession(carol);
		this.mcp.openSession(carol);
		this.mcp.openSession(carol);
		int open = this.sessions.active();

		HttpResponse<String> refused = this.mcp.post(carol, null, RawMcp.INITIALIZE);

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Mcp-Session-Id")).isEmpty();
		JsonNode body = JSON.readTree(refused.body());
		assertThat(body.get("id").asInt()).isEqualTo(1);
		assertThat(body.get("error").get("code").asInt()).isEqualTo(-32000);
		assertThat(body.get("error").get("message").asString()).contains("already holds 3")
			.contains("DELETE")
			.contains("30m without a request");
		assertThat(this.sessions.active()).isEqualTo(open);
		assertThat(this.mcp.post(key("dave"), null, RawMcp.INITIALIZE).statusCode()).as("another caller").isEqualTo(200);

		assertThat(this.mcp.delete(carol, first).statusCode()).isEqualTo(200);
		assertThat(this.mcp.openSession(carol)).isNotBlank();
	}

	private void assertStillWorks(String key, String session) throws Exception {
		HttpResponse<String> response = this.mcp.post(key, session, RawMcp.TOOLS_LIST);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"id\":42").contains("\"tools\"");
	}

	private static void assertSessionNotFound(HttpResponse<String> response, Integer id) throws Exception {
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		String expectedId = (id != null) ? String.valueOf(id) : "null";
		assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
				"{\"jsonrpc\":\"2.0\",\"id\":" + expectedId + ",\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}"));
	}

	private double refused(String reason) {
		return this.meters.get("mcp.governance.sessions.refused").tag("reason", reason).functionCounter().count();
	}

}
