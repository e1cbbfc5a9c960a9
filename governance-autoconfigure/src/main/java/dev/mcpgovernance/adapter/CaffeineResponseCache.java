package dev.mcpgovernance.adapter;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The response cache of one JVM: a Caffeine cache per namespace, with that namespace's TTL and a
 * bound on its entries. Answers are kept as the objects the source returned.
 */
class CaffeineResponseCache implements ResponseCache {

	private final Function<String, Duration> ttl;

	private final long maxEntries;

	private final Map<String, Cache<String, CachedAnswer<?>>> namespaces = new ConcurrentHashMap<>();

	/**
	 * @param ttl the time to live of each namespace's entries
	 * @param maxEntries most entries per namespace; the least recently used go first
	 */
	public CaffeineResponseCache(Function<String, Duration> ttl, long maxEntries) {
		this.ttl = ttl;
		this.maxEntries = maxEntries;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> Optional<CachedAnswer<T>> get(String namespace, String key, Type type) {
		return Optional.ofNullable((CachedAnswer<T>) namespace(namespace).getIfPresent(key));
	}

	@Override
	public void put(String namespace, String key, CachedAnswer<?> answer) {
		namespace(namespace).put(key, answer);
	}

	private Cache<String, CachedAnswer<?>> namespace(String namespace) {
		return this.namespaces.computeIfAbsent(namespace, (name) -> Caffeine.newBuilder()
			.expireAfterWrite(this.ttl.apply(name))
			.maximumSize(this.maxEntries)
			.build());
	}

}
