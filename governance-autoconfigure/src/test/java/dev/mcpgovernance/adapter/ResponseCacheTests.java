package dev.mcpgovernance.adapter;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.adapter.ItemSource.Item;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.GovernanceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The response cache through the manager, on the memory store and on the real Redis
 * (127.0.0.1:6379, a key prefix of its own per test, removed afterwards). What a cache hit is, is
 * read at the real upstream: a hit never reaches it.
 */
class ResponseCacheTests {

	private static final String TENANT_A = "tenant-a";

	private final TestUpstream upstream = new TestUpstream("primary");

	private final AdapterExecutor executor = new AdapterExecutor(4, 4);

	private final String prefix = "mcpg-test:cache:" + UUID.randomUUID() + ":";

	private LettuceConnectionFactory connections;

	private StringRedisTemplate redis;

	@AfterEach
	void cleanUp() {
		this.upstream.close();
		this.executor.close();
		if (this.redis != null) {
			Set<String> keys = this.redis.keys(this.prefix + "*");
			if (keys != null && !keys.isEmpty()) {
				this.redis.delete(keys);
			}
			this.connections.destroy();
		}
	}

	private ResponseCache cache(CacheStore store, Function<String, Duration> ttl) {
		return switch (store) {
			case MEMORY -> new CaffeineResponseCache(ttl, 100);
			case REDIS -> new RedisResponseCache(redis(), new ObjectMapper(), this.prefix, ttl, Duration.ofSeconds(5));
		};
	}

	private StringRedisTemplate redis() {
		this.connections = connections(6379);
		this.redis = new StringRedisTemplate(this.connections);
		return this.redis;
	}

	private static LettuceConnectionFactory connections(int port) {
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		connections.afterPropertiesSet();
		connections.start();
		return connections;
	}

	private DataSourceManager manager(ResponseCache cache) {
		return new DataSourceManager(List.of(new HttpItemSource("primary", this.upstream.baseUrl())),
				AdapterResilience.NONE, this.executor, cache, new ObjectMapper(),
				new DataSourceManager.Settings(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(2)));
	}

	private static CallerIdentity caller(String owner, String tenant, String... scopes) {
		return new CallerIdentity("key-" + owner, owner, null, ScopeSet.parse(List.of(scopes)), null, Transport.HTTP,
				tenant);
	}

	private static Item find(DataSourceManager manager, CallerIdentity caller, Cached<Item> cached) {
		return GovernanceContext.callAs(caller,
				() -> manager.group("items", ItemSource.class).call(cached, (source) -> source.find("it-1")));
	}

	private static Cached<Item> item() {
		return Cached.in("item", Item.class, "it-1");
	}

	@ParameterizedTest
	@EnumSource(CacheStore.class)
	void theSameCallerIsAnsweredFromTheCacheTheSecondTime(CacheStore store) {
		DataSourceManager manager = manager(cache(store, (namespace) -> Duration.ofMinutes(1)));
		CallerIdentity alice = caller("alice", TENANT_A, "catalog:item:read");

		assertThat(find(manager, alice, item())).isEqualTo(new Item("it-1", "primary"));
		assertThat(find(manager, alice, item())).isEqualTo(new Item("it-1", "primary"));
		assertThat(this.upstream.requests()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(CacheStore.class)
	void anAnswerCachedForOneCallerIsNeverServedToACallerWithOtherRights(CacheStore store) {
		DataSourceManager manager = manager(cache(store, (namespace) -> Duration.ofMinutes(1)));
		find(manager, caller("alice", TENANT_A, "catalog:item:read"), item());

		// Another tenant with the same scopes, and the same tenant with other scopes: both go to the source.
		find(manager, caller("bob", "tenant-b", "catalog:item:read"), item());
		assertThat(this.upstream.requests()).isEqualTo(2);
		find(manager, caller("carol", TENANT_A, "catalog:item:read", "catalog:price:read"), item());
		assertThat(this.upstream.requests()).isEqualTo(3);
		find(manager, caller("dave", null, "catalog:item:read"), item());
		assertThat(this.upstream.requests()).isEqualTo(4);

		// Same tenant and same scopes: the same rights, so the answer is shared…
		find(manager, caller("erin", TENANT_A, "catalog:item:read"), item());
		assertThat(this.upstream.requests()).isEqualTo(4);
		// …unless the answer depends on the caller.
		find(manager, caller("erin", TENANT_A, "catalog:item:read"), item().perCaller());
		find(manager, caller("frank", TENANT_A, "catalog:item:read"), item().perCaller());
		assertThat(this.upstream.requests()).isEqualTo(6);
	}

	@ParameterizedTest
	@EnumSource(CacheStore.class)
	void withoutACallerNothingIsCached(CacheStore store) {
		DataSourceManager manager = manager(cache(store, (namespace) -> Duration.ofMinutes(1)));
		ItemSource.Item first = manager.group("items", ItemSource.class).call(item(), (source) -> source.find("it-1"));
		manager.group("items", ItemSource.class).call(item(), (source) -> source.find("it-1"));

		assertThat(first.source()).isEqualTo("primary");
		assertThat(this.upstream.requests()).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(CacheStore.class)
	void entriesExpireAfterTheirNamespacesTtl(CacheStore store) {
		DataSourceManager manager = manager(
				cache(store, (namespace) -> namespace.equals("item") ? Duration.ofMillis(300) : Duration.ofMinutes(1)));
		CallerIdentity alice = caller("alice", TENANT_A, "catalog:item:read");
		find(manager, alice, item());
		find(manager, alice, Cached.in("other", Item.class, "it-1"));

		await().atMost(Duration.ofSeconds(10)).until(() -> {
			find(manager, alice, item());
			return this.upstream.requests() == 3;
		});
		find(manager, alice, Cached.in("other", Item.class, "it-1"));
		assertThat(this.upstream.requests()).isEqualTo(3);
	}

	@Test
	void redisHoldsJsonUnderHashedKeysWithTheNamespacesTtl() {
		DataSourceManager manager = manager(cache(CacheStore.REDIS, (namespace) -> Duration.ofMinutes(2)));
		CallerIdentity alice = caller("alice", TENANT_A, "catalog:item:read");
		GovernanceContext.callAs(alice, () -> manager.group("items", ItemSource.class)
			.call(Cached.in("items-by-owner", new ParameterizedTypeReference<List<Item>>() {
			}, "secret-owner-42"), (source) -> List.of(source.find("it-1"))));
		List<Item> cached = GovernanceContext.callAs(alice, () -> manager.group("items", ItemSource.class)
			.call(Cached.in("items-by-owner", new ParameterizedTypeReference<List<Item>>() {
			}, "secret-owner-42"), (source) -> List.of()));

		assertThat(cached).containsExactly(new Item("it-1", "primary"));
		Set<String> keys = this.redis.keys(this.prefix + "*");
		assertThat(keys).singleElement().satisfies((key) -> {
			assertThat(key).matches(java.util.regex.Pattern.quote(this.prefix) + "items-by-owner:[0-9a-f]{64}")
				.doesNotContain("secret-owner-42")
				.doesNotContain(TENANT_A);
			assertThat(this.redis.opsForValue().get(key)).isEqualTo(
					"{\"source\":\"primary\",\"value\":[{\"id\":\"it-1\",\"source\":\"primary\"}]}");
			assertThat(this.redis.getExpire(key)).isBetween(1L, 120L);
		});
	}

	@Test
	void whileRedisIsUnreachableTheSourcesAnswer() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		LettuceConnectionFactory unreachable = connections(closedPort);
		try {
			ResponseCache cache = new RedisResponseCache(new StringRedisTemplate(unreachable), new ObjectMapper(),
					this.prefix, (namespace) -> Duration.ofMinutes(1), Duration.ofSeconds(5));
			DataSourceManager manager = manager(cache);
			CallerIdentity alice = caller("alice", TENANT_A, "catalog:item:read");

			assertThat(find(manager, alice, item())).isEqualTo(new Item("it-1", "primary"));
			assertThat(find(manager, alice, item())).isEqualTo(new Item("it-1", "primary"));
			assertThat(this.upstream.requests()).isEqualTo(2);
		}
		finally {
			unreachable.destroy();
		}
	}

}
