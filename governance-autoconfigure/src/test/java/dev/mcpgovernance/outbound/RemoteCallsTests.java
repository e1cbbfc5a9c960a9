package dev.mcpgovernance.outbound;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpgovernance.adapter.AdapterExecutor;
import dev.mcpgovernance.adapter.DataAdapter;
import dev.mcpgovernance.adapter.Resilience4jAdapterResilience;
import dev.mcpgovernance.adapter.TransientSourceException;
import dev.mcpgovernance.tool.InvalidInput;
import dev.mcpgovernance.tool.SourceUnavailableException;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one remote-call path of the connectors and the gateway, on Resilience4j's real breaker, retry
 * and time limit with the starter's defaults: what a caller gets for each way a service can fail,
 * and that nothing of the service's text is in it.
 */
class RemoteCallsTests {

	private static final String SECRET = "jdbc:postgresql://10.0.0.7/billing?password=hunter2";

	private final AdapterExecutor executor = new AdapterExecutor(4, 4);

	private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();

	private final RemoteCalls calls = new RemoteCalls(new Resilience4jAdapterResilience(
			CircuitBreakerRegistry.ofDefaults(), RetryRegistry.ofDefaults(), this.timeLimiters, this.executor));

	private final DataAdapter service = () -> "api-billing";

	@AfterEach
	void stop() {
		this.executor.close();
	}

	@Test
	void anAnswerReachesTheCaller() {
		assertThat(this.calls.call(this.service, () -> "answer")).isEqualTo("answer");
	}

	@Test
	void aServiceThatCannotBeReachedIsSourceUnavailableWithoutItsText() {
		SourceUnavailableException unavailable = catchThrowableOfType(SourceUnavailableException.class,
				() -> this.calls.call(this.service, () -> {
					throw new IllegalStateException(SECRET, new ConnectException(SECRET));
				}));
		assertThat(unavailable.getMessage()).doesNotContain("hunter2").doesNotContain("10.0.0.7");
		assertThat(unavailable.getCause()).isNull();
	}

	@Test
	void aFailureTheServiceAnsweredIsRetriedWhenTransientThenBecomesTheErrorItCarries() {
		AtomicInteger attempts = new AtomicInteger();
		ToolError error = new ToolError(ToolErrorCode.UPSTREAM_ERROR, "The billing API answered with status 503.",
				Map.of("status", 503));
		ToolErrorException thrown = catchThrowableOfType(ToolErrorException.class,
				() -> this.calls.call(this.service, () -> {
					attempts.incrementAndGet();
					throw new TransientSourceException(SECRET, new ServiceFailureException(error));
				}));
		assertThat(thrown.error()).isEqualTo(error);
		assertThat(attempts).hasValue(3);
	}

	@Test
	void aServiceFailureCountsAgainstTheBreakerAndAnOpenBreakerIsSourceUnavailableWithItsWait() {
		ToolError error = new ToolError(ToolErrorCode.UPSTREAM_ERROR, "The billing API answered with status 500.",
				Map.of("status", 500));
		for (int i = 0; i < 5; i++) {
			assertThatThrownBy(() -> this.calls.call(this.service, () -> {
				throw new ServiceFailureException(error);
			})).isInstanceOf(ToolErrorException.class);
		}
		assertThat(this.calls.breakerState("api-billing")).isEqualTo("open");
		AtomicInteger called = new AtomicInteger();
		SourceUnavailableException skipped = catchThrowableOfType(SourceUnavailableException.class,
				() -> this.calls.call(this.service, called::incrementAndGet));
		assertThat(called).hasValue(0);
		assertThat(skipped.retryAfter()).hasValueSatisfying((wait) -> assertThat(wait).isPositive());
	}

	@Test
	void theCallersMistakeReachesThemAsItIsAndDoesNotOpenTheBreaker() {
		ToolErrorException refused = new ToolErrorException(new ToolError(ToolErrorCode.UPSTREAM_ERROR,
				"The billing API answered with status 404.", Map.of("status", 404)));
		for (int i = 0; i < 10; i++) {
			assertThatThrownBy(() -> this.calls.call(this.service, () -> {
				throw refused;
			})).isSameAs(refused);
		}
		InvalidInput invalid = new InvalidInput("id", "Argument 'id' must be a single value.");
		assertThatThrownBy(() -> this.calls.call(this.service, () -> {
			throw invalid;
		})).isSameAs(invalid);
		assertThat(this.calls.breakerState("api-billing")).isEqualTo("closed");
	}

	@Test
	void aServiceThatDoesNotAnswerWithinTheTimeLimitIsSourceUnavailable() {
		this.timeLimiters.timeLimiter("api-billing",
				TimeLimiterConfig.custom().timeoutDuration(Duration.ofMillis(100)).cancelRunningFuture(true).build());
		assertThatThrownBy(() -> this.calls.call(this.service, () -> {
			Thread.sleep(5_000);
			return "late";
		})).isInstanceOf(SourceUnavailableException.class);
	}

}
