package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.MutableClock;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpgovernance.scope.Scope;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;

class OpaqueTokenAuthenticatorTests {

	private static final String ACME = "https://idp.example/acme";

	private static final String GLOBEX = "https://idp.example/globex";

	private static final String RESOURCE = "https://mcp.example.com/mcp";

	private static final JwtCallerMapping MAPPING = new JwtCallerMapping("sub", List.of("name"), null,
			List.of("scope", "scp"), null, Map.of());

	private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T10:00:00Z"));

	/** An endpoint that knows one token, and counts how often it is asked. */
	private final class Endpoint implements OpaqueTokenIntrospector {

		final AtomicInteger asked = new AtomicInteger();

		final String issuer;

		final String knownToken;

		Map<String, Object> answer;

		RuntimeException failure;

		Endpoint(String issuer, String knownToken) {
			this.issuer = issuer;
			this.knownToken = knownToken;
			this.answer = claims(issuer, RESOURCE, OpaqueTokenAuthenticatorTests.this.clock.instant().plusSeconds(300));
		}

		@Override
		public OAuth2IntrospectionAuthenticatedPrincipal introspect(String token) {
			this.asked.incrementAndGet();
			if (this.failure != null) {
				throw this.failure;
			}
			if (!token.equals(this.knownToken)) {
				throw new BadOpaqueTokenException("Provided token isn't active");
			}
			return new OAuth2IntrospectionAuthenticatedPrincipal(this.answer, List.of());
		}

		OpaqueTokenAuthenticator.IntrospectingIssuer trusted() {
			return new OpaqueTokenAuthenticator.IntrospectingIssuer(this.issuer, this, RESOURCE, MAPPING);
		}

	}

	/** Claims as Spring Security's introspector hands them on: aud a list, exp an instant, scope a list. */
	private static Map<String, Object> claims(String issuer, String audience, Instant expiresAt) {
		Map<String, Object> claims = new HashMap<>();
		claims.put("active", true);
		claims.put("iss", issuer);
		claims.put("sub", "alice");
		claims.put("name", "Alice");
		claims.put("client_id", "agent");
		claims.put("aud", List.of(audience));
		claims.put("exp", expiresAt);
		claims.put("scope", List.of("orders:order:read", "openid"));
		return claims;
	}

	private OpaqueTokenAuthenticator authenticator(Endpoint... endpoints) {
		return new OpaqueTokenAuthenticator(java.util.Arrays.stream(endpoints).map(Endpoint::trusted).toList(),
				Duration.ofSeconds(60), Duration.ofSeconds(30), 100, this.clock);
	}

	private static CallerIdentity caller(AuthenticationOutcome outcome) {
		assertThat(outcome).isInstanceOf(AuthenticationOutcome.Authenticated.class);
		return ((AuthenticationOutcome.Authenticated) outcome).identity();
	}

	private static String reason(AuthenticationOutcome outcome) {
		assertThat(outcome).isInstanceOf(AuthenticationOutcome.Rejected.class);
		return ((AuthenticationOutcome.Rejected) outcome).reason();
	}

	@Test
	void anActiveTokenForThisServerBecomesACallerAsAJwtWould() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		CallerIdentity caller = caller(authenticator(acme).authenticate("tok-1"));
		assertThat(caller.ownerId()).isEqualTo("alice");
		assertThat(caller.ownerLabel()).isEqualTo("Alice");
		assertThat(caller.keyId()).isEqualTo("opaque:" + ACME + "#agent");
		assertThat(caller.scopes().asStrings()).containsExactly("orders:order:read");
		assertThat(caller.holds(Scope.parse("orders:order:read"))).isTrue();
		assertThat(caller.transport()).isEqualTo(Transport.HTTP);
		assertThat(caller.validUntil()).isEqualTo(this.clock.instant().plusSeconds(300 + 60));
	}

	@Test
	void aTokenIssuedForAnotherServerIsRefused() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		acme.answer = claims(ACME, "https://elsewhere.example/mcp", this.clock.instant().plusSeconds(300));
		assertThat(reason(authenticator(acme).authenticate("tok-1"))).contains("not issued for this server");
		acme.answer.remove("aud");
		assertThat(reason(authenticator(acme).authenticate("tok-1"))).contains("not issued for this server");
	}

	@Test
	void anAnswerNamingAnotherIssuerIsRefused() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		acme.answer = claims(GLOBEX, RESOURCE, this.clock.instant().plusSeconds(300));
		assertThat(reason(authenticator(acme).authenticate("tok-1"))).isEqualTo("The access token's issuer is not trusted");
	}

	@Test
	void anExpiredTokenIsRefusedEvenIfTheEndpointCallsItActive() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		acme.answer = claims(ACME, RESOURCE, this.clock.instant().minusSeconds(61));
		assertThat(reason(authenticator(acme).authenticate("tok-1"))).isEqualTo("The access token has expired");
	}

	@Test
	void aMissingOwnerClaimIsRefused() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		acme.answer.remove("sub");
		assertThat(reason(authenticator(acme).authenticate("tok-1"))).contains("no 'sub' claim");
	}

	@Test
	void eachEndpointIsAskedInTurnUntilOneKnowsTheToken() {
		Endpoint acme = new Endpoint(ACME, "tok-acme");
		Endpoint globex = new Endpoint(GLOBEX, "tok-globex");
		OpaqueTokenAuthenticator authenticator = authenticator(acme, globex);
		assertThat(caller(authenticator.authenticate("tok-globex")).keyId()).startsWith("opaque:" + GLOBEX);
		assertThat(caller(authenticator.authenticate("tok-acme")).keyId()).startsWith("opaque:" + ACME);
		assertThat(reason(authenticator.authenticate("unknown"))).isEqualTo("The access token is not active");
	}

	@Test
	void anEndpointThatIsDownIsNeverAPass() {
		Endpoint acme = new Endpoint(ACME, "tok-acme");
		Endpoint globex = new Endpoint(GLOBEX, "tok-globex");
		acme.failure = new OAuth2IntrospectionException("I/O error on POST request");
		OpaqueTokenAuthenticator authenticator = authenticator(acme, globex);

		assertThat(reason(authenticator.authenticate("tok-acme")))
			.isEqualTo("The access token cannot be verified at the moment");
		// Another endpoint's token is still served.
		assertThat(caller(authenticator.authenticate("tok-globex")).keyId()).startsWith("opaque:" + GLOBEX);

		// An outage's refusal is not remembered: once the endpoint answers, the token is accepted.
		acme.failure = null;
		assertThat(caller(authenticator.authenticate("tok-acme")).keyId()).startsWith("opaque:" + ACME);

		acme.failure = new IllegalStateException("answered something else than JSON");
		assertThat(reason(authenticator.authenticate("other"))).isEqualTo("The access token cannot be verified at the moment");
	}

	@Test
	void answersAreReusedForTheCacheTtlButNeverPastTheTokensExpiry() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		OpaqueTokenAuthenticator authenticator = authenticator(acme);
		authenticator.authenticate("tok-1");
		authenticator.authenticate("tok-1");
		assertThat(acme.asked).hasValue(1);
		this.clock.advance(Duration.ofSeconds(31));
		authenticator.authenticate("tok-1");
		assertThat(acme.asked).hasValue(2);

		Endpoint soon = new Endpoint(ACME, "tok-2");
		soon.answer = claims(ACME, RESOURCE, this.clock.instant().minusSeconds(50));
		OpaqueTokenAuthenticator expiring = authenticator(soon);
		assertThat(caller(expiring.authenticate("tok-2")).validUntil()).isEqualTo(this.clock.instant().plusSeconds(10));
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(reason(expiring.authenticate("tok-2"))).isEqualTo("The access token has expired");
		assertThat(soon.asked).hasValue(2);
	}

	@Test
	void anInactiveAnswerIsReusedTooSoAFloodOfBadTokensStaysLocal() {
		Endpoint acme = new Endpoint(ACME, "tok-1");
		OpaqueTokenAuthenticator authenticator = authenticator(acme);
		for (int i = 0; i < 5; i++) {
			authenticator.authenticate("bad");
		}
		assertThat(acme.asked).hasValue(1);
	}

}
