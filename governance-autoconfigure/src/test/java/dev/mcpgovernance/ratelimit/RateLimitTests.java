package dev.mcpgovernance.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitTests {

	@Test
	void parsesCallsPerUnit() {
		assertThat(RateLimit.valueOf("10/min")).isEqualTo(new RateLimit(10, Duration.ofMinutes(1)));
		assertThat(RateLimit.valueOf("10000/day")).isEqualTo(new RateLimit(10000, Duration.ofDays(1)));
		assertThat(RateLimit.valueOf(" 5 / s ")).isEqualTo(new RateLimit(5, Duration.ofSeconds(1)));
		assertThat(RateLimit.valueOf("100/H")).isEqualTo(new RateLimit(100, Duration.ofHours(1)));
		assertThat(RateLimit.valueOf("7/minute")).isEqualTo(RateLimit.perMinute(7));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "10", "ten/min", "10/fortnight", "0/min", "-1/min", "10/min/x", "/min",
			"1234567890123/min" })
	void refusesAnythingElseNamingTheText(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.valueOf(text))
			.withMessageContaining("'" + text + "'")
			.withMessageContaining("e.g. 10/min");
	}

	@Test
	void retryAfterIsRoundedUpToWholeSecondsAndAtLeastOne() {
		assertThat(RateLimitDecision.refuse(0).retryAfterSeconds()).isEqualTo(1);
		assertThat(RateLimitDecision.refuse(1).retryAfterSeconds()).isEqualTo(1);
		assertThat(RateLimitDecision.refuse(1_000_000_001L).retryAfterSeconds()).isEqualTo(2);
		assertThat(RateLimitDecision.refuse(20_000_000_000L).retryAfterSeconds()).isEqualTo(20);
	}

}
