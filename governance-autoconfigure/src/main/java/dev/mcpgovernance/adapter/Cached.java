package dev.mcpgovernance.adapter;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.springframework.core.ParameterizedTypeReference;

/**
 * How an adapter call's answer is cached: in which namespace (its TTL is
 * {@code mcp.governance.cache.namespaces.<namespace>.ttl}), as which type, under which key.
 *
 * <pre>
 * orders.call(Cached.in("order", Order.class, orderId), (source) -&gt; source.find(orderId));
 * orders.call(Cached.in("orders-by-status", new ParameterizedTypeReference&lt;List&lt;Order&gt;&gt;() {}, status), …);
 * </pre>
 *
 * The key is made of the key parts <em>and</em> of what the caller may read (tenant and scopes), so
 * that an answer cached for one caller is never served to a caller with other rights. When the
 * answer depends on who the caller is beyond that ("my orders"), add {@link #perCaller()}. The key
 * is hashed: argument values never appear in the cache in clear.
 *
 * @param <T> the answer's type
 * @param namespace lower-case words, e.g. {@code order}
 * @param type the answer's type, for reading it back from a shared cache
 * @param keyParts the arguments the answer depends on
 * @param keyedByCaller whether the key also names the caller (its owner id)
 */
public record Cached<T>(String namespace, Type type, List<Object> keyParts, boolean keyedByCaller) {

	private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

	public Cached {
		Objects.requireNonNull(type, "type");
		if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
			throw new IllegalArgumentException("Cache namespace '" + namespace
					+ "' is not a lower-case word of letters, digits, '_', '.' or '-'");
		}
		// Key parts may be null (an omitted argument), which List.copyOf refuses.
		keyParts = Collections.unmodifiableList(new ArrayList<>(keyParts));
	}

	public static <T> Cached<T> in(String namespace, Class<T> type, Object... keyParts) {
		return new Cached<>(namespace, type, Arrays.asList(keyParts), false);
	}

	public static <T> Cached<T> in(String namespace, ParameterizedTypeReference<T> type, Object... keyParts) {
		return new Cached<>(namespace, type.getType(), Arrays.asList(keyParts), false);
	}

	/** The same, keyed by the caller too. */
	public Cached<T> perCaller() {
		return new Cached<>(this.namespace, this.type, this.keyParts, true);
	}

}
