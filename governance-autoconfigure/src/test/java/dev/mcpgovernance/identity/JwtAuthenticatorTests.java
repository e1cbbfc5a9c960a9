package dev.mcpgovernance.identity;

import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class JwtAuthenticatorTests {

	private static final String ISSUER = "https://idp.example/realms/acme";

	private static final JwtCallerMapping MAPPING = new JwtCallerMapping("sub", List.of(), null, List.of("scope"), null,
			Map.of());

	private static String tokenFrom(String issuer) {
		return new PlainJWT(new JWTClaimsSet.Builder().issuer(issuer).subject("alice").build()).serialize();
	}

	@Test
	void issuerThatCannotBeReachedFailsClosedWithoutAServerError() {
		JwtAuthenticator authenticator = new JwtAuthenticator(List.of(new TrustedIssuer(ISSUER,
				new SupplierJwtDecoder(() -> NimbusJwtDecoder.withIssuerLocation("http://127.0.0.1:9/down").build()),
				MAPPING)));
		assertThat(authenticator.authenticate(tokenFrom(ISSUER)))
			.isEqualTo(new AuthenticationOutcome.Rejected("The access token cannot be verified at the moment"));
	}

	@Test
	void tokenWithoutAnIssuerOrFromAnUnknownOneIsRejectedBeforeAnyDecoderRuns() {
		JwtAuthenticator authenticator = new JwtAuthenticator(List.of(new TrustedIssuer(ISSUER, (token) -> {
			throw new AssertionError("the trusted issuer's decoder must not see a foreign token");
		}, MAPPING)));
		AuthenticationOutcome.Rejected untrusted = new AuthenticationOutcome.Rejected(
				"The access token's issuer is not trusted");
		assertThat(authenticator.authenticate(tokenFrom(null))).isEqualTo(untrusted);
		assertThat(authenticator.authenticate(tokenFrom("https://evil.example"))).isEqualTo(untrusted);
		assertThat(authenticator.authenticate(tokenFrom(ISSUER + "/"))).isEqualTo(untrusted);
	}

}
