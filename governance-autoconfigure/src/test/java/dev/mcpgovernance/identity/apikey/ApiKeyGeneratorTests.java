package dev.mcpgovernance.identity.apikey;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyGeneratorTests {

	@Test
	void newSecretIsSkPrefixFollowedBy43Base64UrlCharacters() {
		String secret = ApiKeyGenerator.newSecret();

		assertThat(secret).startsWith("sk_").hasSize(3 + 43).matches("sk_[A-Za-z0-9_-]{43}");
		assertThat(ApiKeyGenerator.isWellFormed(secret)).isTrue();
	}

	@Test
	void newSecretsAreUnique() {
		Set<String> secrets = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			secrets.add(ApiKeyGenerator.newSecret());
		}

		assertThat(secrets).hasSize(1000).allMatch(ApiKeyGenerator::isWellFormed);
	}

	@Test
	void newKeyIdsAreDistinctAndCarryNoSecretPrefix() {
		String first = ApiKeyGenerator.newKeyId();
		String second = ApiKeyGenerator.newKeyId();

		assertThat(first).startsWith("key_").isNotEqualTo(second);
		assertThat(ApiKeyGenerator.isWellFormed(first)).isFalse();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "sk_short", "sk_", "pk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl",
			"sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "sk_AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA",
			"sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", " sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
	void refusesTextThatIsNotASecret(String candidate) {
		assertThat(ApiKeyGenerator.isWellFormed(candidate)).isFalse();
	}

	@Test
	void acceptsExactlyWhatTheDocumentedPatternAccepts() {
		Pattern documented = Pattern.compile("sk_[A-Za-z0-9_-]{43,86}");
		String alphabet = "Aaz09_-+/=. \u00e9\u0000kps";
		Random random = new Random(23);
		for (int i = 0; i < 20_000; i++) {
			StringBuilder candidate = new StringBuilder(random.nextInt(4) == 0 ? "" : "sk_");
			int length = 40 + random.nextInt(50);
			for (int c = 0; c < length; c++) {
				// Mostly base64url, now and then something else.
				candidate.append(random.nextInt(60) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
						: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".charAt(random.nextInt(64)));
			}
			String text = candidate.toString();
			assertThat(ApiKeyGenerator.isWellFormed(text)).as(text).isEqualTo(documented.matcher(text).matches());
		}
	}

	@Test
	void refusesSecretsLongerThan64Bytes() {
		assertThat(ApiKeyGenerator.isWellFormed("sk_" + "A".repeat(86))).isTrue();
		assertThat(ApiKeyGenerator.isWellFormed("sk_" + "A".repeat(87))).isFalse();
	}

}
