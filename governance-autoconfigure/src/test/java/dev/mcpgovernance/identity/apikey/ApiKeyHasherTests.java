package dev.mcpgovernance.identity.apikey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiKeyHasherTests {

	private static final String PEPPER = "0123456789abcdef0123456789abcdef";

	private static final String SECRET = "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	@Test
	void refusesAPepperShorterThan32Characters() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiKeyHasher(PEPPER.substring(1)))
			.withMessageContaining("32");
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiKeyHasher(null));
	}

	@Test
	void hashIs64LowerCaseHexCharacters() {
		assertThat(new ApiKeyHasher(PEPPER).hash(SECRET)).matches("[0-9a-f]{64}");
	}

	@Test
	void sameKeyAndPepperGiveTheSameHash() {
		assertThat(new ApiKeyHasher(PEPPER).hash(SECRET)).isEqualTo(new ApiKeyHasher(PEPPER).hash(SECRET));
	}

	@Test
	void hashIsTheHmacSha256OfTheKeyUnderThePepper() {
		// Reference value: printf %s "$SECRET" | openssl dgst -sha256 -hmac "$PEPPER"
		assertThat(new ApiKeyHasher(PEPPER).hash(SECRET))
			.isEqualTo("9f42be4576926033aaeb41aebdf75403e4f975a8fa838a6ef491ea4528877572");
	}

	@Test
	void differentPepperGivesADifferentHash() {
		String other = "fedcba9876543210fedcba9876543210";

		assertThat(new ApiKeyHasher(PEPPER).hash(SECRET)).isNotEqualTo(new ApiKeyHasher(other).hash(SECRET));
	}

	@Test
	void differentKeysGiveDifferentHashes() {
		ApiKeyHasher hasher = new ApiKeyHasher(PEPPER);

		assertThat(hasher.hash(SECRET)).isNotEqualTo(hasher.hash(ApiKeyGenerator.newSecret()));
	}

	@Test
	void sameHashComparesContent() {
		ApiKeyHasher hasher = new ApiKeyHasher(PEPPER);
		String hash = hasher.hash(SECRET);

		assertThat(ApiKeyHasher.sameHash(hash, new String(hash.toCharArray()))).isTrue();
		assertThat(ApiKeyHasher.sameHash(hash, hasher.hash(ApiKeyGenerator.newSecret()))).isFalse();
		assertThat(ApiKeyHasher.sameHash(hash, hash.substring(1))).isFalse();
	}

}
