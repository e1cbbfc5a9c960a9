package dev.mcpgovernance.identity.oauth;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
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
				MAPPING)), Duration.ZERO);
		assertThat(authenticator.authenticate(tokenFrom(ISSUER)))
			.isEqualTo(new AuthenticationOutcome.Rejected("The access token cannot be verified at the moment"));
	}

	@Test
	void anUnreachableIssuerIsLoggedOncePerOutageNotPerRequest(CapturedOutput output) {
		boolean[] down = { true };
		JwtAuthenticator authenticator = new JwtAuthenticator(List.of(new TrustedIssuer(ISSUER, (token) -> {
			if (down[0]) {
				throw new JwtException("Couldn't retrieve remote JWK set");
			}
			return Jwt.withTokenValue(token).header("alg", "RS256").issuer(ISSUER).subject("alice").build();
		}, MAPPING)), Duration.ZERO);
		for (int i = 0; i < 5; i++) {
			authenticator.authenticate(tokenFrom(ISSUER));
		}
		assertThat(occurrences(output.getOut(), "OAuth issuer " + ISSUER + " cannot be reached")).isEqualTo(1);

		down[0] = false;
		assertThat(authenticator.authenticate(tokenFrom(ISSUER))).isInstanceOf(AuthenticationOutcome.Authenticated.class);
		assertThat(output.getOut()).contains("OAuth issuer " + ISSUER + " can be reached again.");

		down[0] = true;
		authenticator.authenticate(tokenFrom(ISSUER));
		authenticator.authenticate(tokenFrom(ISSUER));
		assertThat(occurrences(output.getOut(), "OAuth issuer " + ISSUER + " cannot be reached")).isEqualTo(2);
		// The log names the issuer, never the token.
		assertThat(output.getOut()).doesNotContain(tokenFrom(ISSUER));
	}

	private static int occurrences(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

	@Test
	void tokenWithoutAnIssuerOrFromAnUnknownOneIsRejectedBeforeAnyDecoderRuns() {
		JwtAuthenticator authenticator = new JwtAuthenticator(List.of(new TrustedIssuer(ISSUER, (token) -> {
			throw new AssertionError("the trusted issuer's decoder must not see a foreign token");
		}, MAPPING)), Duration.ZERO);
		AuthenticationOutcome.Rejected untrusted = new AuthenticationOutcome.Rejected(
				"The access token's issuer is not trusted");
		assertThat(authenticator.authenticate(tokenFrom(null))).isEqualTo(untrusted);
		assertThat(authenticator.authenticate(tokenFrom("https://evil.example"))).isEqualTo(untrusted);
		assertThat(authenticator.authenticate(tokenFrom(ISSUER + "/"))).isEqualTo(untrusted);
	}

}
