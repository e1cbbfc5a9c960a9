package dev.mcpgovernance.adapter;

import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Where answers of adapter calls are cached, by namespace and key. The key it is given is already
 * scope-aware and hashed. A cache that cannot be reached answers "miss" and drops writes: the
 * sources still answer.
 */
public interface ResponseCache {

	<T> Optional<CachedAnswer<T>> get(String namespace, String key, Type type);

	void put(String namespace, String key, CachedAnswer<?> answer);

}
