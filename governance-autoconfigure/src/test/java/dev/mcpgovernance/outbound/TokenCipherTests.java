package dev.mcpgovernance.outbound;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokenCipherTests {

	private static byte[] randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

	private final TokenCipher cipher = new TokenCipher(randomKey(), "k1");

	@Test
	void sealsWithAFreshNonceAndOpensUnderTheSameKey() {
		String first = this.cipher.seal("eyJ.secret-token.sig", "cache-key");
		String second = this.cipher.seal("eyJ.secret-token.sig", "cache-key");
		assertThat(first).startsWith("v1.k1.").doesNotContain("secret-token").isNotEqualTo(second);
		assertThat(this.cipher.open(first, "cache-key")).contains("eyJ.secret-token.sig");
	}

	@Test
	void refusesAlteredValuesOtherKeysAndOtherCacheKeys() {
		String sealed = this.cipher.seal("token", "cache-key");
		assertThat(this.cipher.open(sealed, "another-cache-key")).isEmpty();
		assertThat(new TokenCipher(randomKey(), "k1").open(sealed, "cache-key")).isEmpty();
		assertThat(new TokenCipher(randomKey(), "k2").open(sealed, "cache-key")).isEmpty();
		byte[] bytes = Base64.getDecoder().decode(sealed.substring("v1.k1.".length()));
		bytes[bytes.length - 1] ^= 1;
		assertThat(this.cipher.open("v1.k1." + Base64.getEncoder().encodeToString(bytes), "cache-key")).isEmpty();
		assertThat(this.cipher.open("plain-token", "cache-key")).isEmpty();
	}

	@Test
	void needsAnAes256Key() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TokenCipher(new byte[16], "k1"));
	}

}
