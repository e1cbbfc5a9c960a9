package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class JwtCallerMappingTests {

	private static final String ISSUER = "https://idp.example/realms/acme";

	private final JwtCallerMapping mapping = new JwtCallerMapping("sub", List.of("name", "preferred_username"), null,
			List.of("scope", "scp"), 60, Map.of("alice", 600, "batch-client", 6000));

	private static Jwt token(Consumer<Map<String, Object>> claims) {
		return Jwt.withTokenValue("t").header("alg", "RS256").claims((all) -> {
			all.put("iss", ISSUER);
			all.put("sub", "alice");
			all.put("exp", Instant.now().plusSeconds(60));
			claims.accept(all);
		}).build();
	}

	private static CallerIdentity caller(AuthenticationOutcome outcome) {
		assertThat(outcome).isInstanceOf(AuthenticationOutcome.Authenticated.class);
		return ((AuthenticationOutcome.Authenticated) outcome).identity();
	}

	@Test
	void mapsOwnerLabelClientScopesAndTransport() {
		CallerIdentity caller = caller(this.mapping.toCaller(ISSUER, token((claims) -> {
			claims.put("preferred_username", "alice@acme");
			claims.put("azp", "claude-desktop");
			claims.put("scope", "openid profile orders:order:read  orders:*:cancel");
		})));
		assertThat(caller.ownerId()).isEqualTo("alice");
		assertThat(caller.ownerLabel()).isEqualTo("alice@acme");
		assertThat(caller.keyId()).isEqualTo("jwt:" + ISSUER + "#claude-desktop");
		assertThat(caller.scopes().asStrings()).containsExactlyInAnyOrder("orders:order:read", "orders:*:cancel");
		assertThat(caller.transport()).isEqualTo(Transport.HTTP);
		assertThat(caller.tenant()).isNull();
	}

	@Test
	void readsScopesFromAnScpArrayAndMergesEveryScopeClaim() {
		CallerIdentity caller = caller(this.mapping.toCaller(ISSUER, token((claims) -> {
			claims.put("scope", List.of("inventory:item:read"));
			claims.put("scp", List.of("orders:order:read", "User.Read", 42));
		})));
		assertThat(caller.scopes().asStrings()).containsExactlyInAnyOrder("inventory:item:read", "orders:order:read");
	}

	@Test
	void keyIdNamesTheIssuerAloneWithoutAClientClaim() {
		assertThat(caller(this.mapping.toCaller(ISSUER, token((claims) -> {
		}))).keyId()).isEqualTo("jwt:" + ISSUER);
	}

	@Test
	void tokenWithoutTheOwnerClaimIsRejectedNamingIt() {
		JwtCallerMapping byOid = new JwtCallerMapping("oid", List.of(), null, List.of("scp"), null, Map.of());
		assertThat(byOid.toCaller(ISSUER, token((claims) -> {
		}))).isEqualTo(new AuthenticationOutcome.Rejected("The access token has no 'oid' claim"));
		assertThat(caller(byOid.toCaller(ISSUER, token((claims) -> claims.put("oid", "0000-1")))).ownerId())
			.isEqualTo("0000-1");
	}

	@Test
	void tenantComesFromItsClaimAndATokenWithoutItIsRejected() {
		JwtCallerMapping byTenant = new JwtCallerMapping("sub", List.of(), "tid", List.of("scp"), null, Map.of());
		assertThat(caller(byTenant.toCaller(ISSUER, token((claims) -> claims.put("tid", "acme")))).tenant())
			.isEqualTo("acme");
		assertThat(byTenant.toCaller(ISSUER, token((claims) -> {
		}))).isInstanceOf(AuthenticationOutcome.Rejected.class);
	}

	@Test
	void rateLimitComesFromConfigurationByOwnerThenClientThenIssuerNeverFromAClaim() {
		assertThat(caller(this.mapping.toCaller(ISSUER, token((claims) -> claims.put("rate_limit_rpm", 1_000_000))))
			.rateLimitRpm()).isEqualTo(600);
		assertThat(caller(this.mapping.toCaller(ISSUER, token((claims) -> {
			claims.put("sub", "svc-7");
			claims.put("client_id", "batch-client");
		}))).rateLimitRpm()).isEqualTo(6000);
		assertThat(caller(this.mapping.toCaller(ISSUER, token((claims) -> claims.put("sub", "bob")))).rateLimitRpm())
			.isEqualTo(60);
	}

}
