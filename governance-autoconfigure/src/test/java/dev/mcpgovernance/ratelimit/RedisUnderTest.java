package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Redis on 127.0.0.1:6379 for one test at a time: a key prefix of the test's own, a
 * connection to look at what the store wrote, and every key under the prefix deleted afterwards.
 * Register with {@code @RegisterExtension}.
 */
final class RedisUnderTest implements BeforeEachCallback, AfterEachCallback {

	static final RedisURI URI = RedisURI.create("127.0.0.1", 6379);

	private final String prefix;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	RedisUnderTest(String name) {
		this.prefix = name + ":" + UUID.randomUUID() + ":";
	}

	/** The prefix of every key the test writes. */
	String prefix() {
		return this.prefix;
	}

	/** Commands on a connection of the test's own. */
	RedisCommands<String, String> commands() {
		return this.connection.sync();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.client = RedisClient.create(URI);
		this.connection = this.client.connect();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		List<String> keys = commands().keys(this.prefix + "*");
		if (!keys.isEmpty()) {
			commands().del(keys.toArray(String[]::new));
		}
		this.connection.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

}
