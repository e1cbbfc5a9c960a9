package dev.mcpgovernance.identity.apikey;

import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.Transport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.storage.GovernanceStorageAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas sharing a key table and the real Redis (127.0.0.1:6379), each with a key cache that
 * would otherwise hold a revoked key for an hour: with the broadcast, the other replica refuses the
 * key within moments; without it, it still accepts it.
 */
class RevocationBroadcastTests {

	private final String database = "jdbc:h2:mem:replicas-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private final String channel = "mcpg-test:revoked:" + UUID.randomUUID();

	private ApplicationContextRunner replica(boolean broadcast) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DataRedisAutoConfiguration.class,
					GovernanceStorageAutoConfiguration.class, GovernanceIdentityAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + this.database, "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=6379", "mcp.governance.api-keys.pepper=a-test-pepper-of-at-least-32-characters",
					"mcp.governance.api-keys.cache-ttl=1h", "mcp.governance.api-keys.revocation-channel=" + this.channel,
					"mcp.governance.api-keys.broadcast-revocations=" + broadcast);
	}

	@Test
	void aRevocationOnOneReplicaReachesTheOtherAtOnce() {
		assertThat(otherReplicaAfterRevocation(true)).isInstanceOf(AuthenticationOutcome.Rejected.class);
	}

	@Test
	void withoutTheBroadcastTheOtherReplicaWaitsForItsCache() {
		assertThat(otherReplicaAfterRevocation(false)).isInstanceOf(AuthenticationOutcome.Authenticated.class);
	}

	private AuthenticationOutcome otherReplicaAfterRevocation(boolean broadcast) {
		AuthenticationOutcome[] outcome = new AuthenticationOutcome[1];
		replica(broadcast).run((first) -> replica(broadcast).run((second) -> {
			assertThat(first).hasNotFailed();
			assertThat(second).hasNotFailed();
			Function<ConfigurableApplicationContext, ApiKeyAuthenticator> authenticator = (context) -> context
				.getBean(ApiKeyAuthenticator.class);
			var created = first.getBean(ApiKeyManager.class)
				.create("replicated", null, ScopeSet.parse(List.of("orders:*:read")), null, null);
			assertThat(authenticator.apply(second).authenticate(created.secret(), Transport.HTTP))
				.isInstanceOf(AuthenticationOutcome.Authenticated.class);
			assertThat(first.getBean(ApiKeyManager.class).revoke(created.key().id())).isTrue();
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			do {
				outcome[0] = authenticator.apply(second).authenticate(created.secret(), Transport.HTTP);
				if (outcome[0] instanceof AuthenticationOutcome.Rejected) {
					return;
				}
				Thread.sleep(50);
			}
			while (System.nanoTime() < deadline);
		}));
		return outcome[0];
	}

}
