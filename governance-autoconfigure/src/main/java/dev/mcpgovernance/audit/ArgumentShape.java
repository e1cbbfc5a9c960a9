package dev.mcpgovernance.audit;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shape of a call's arguments, the only trace of them the audit trail keeps: container types,
 * field and item counts, string and byte lengths. Never a value, and never a map key (the caller
 * chooses keys, so they can carry data too). As compact JSON, for example
 * {@code {"type":"object","fields":2,"children":[{"type":"string","length":5},{"type":"integer"}]}}.
 * <p>
 * Bounded: containers deeper than {@link #MAX_DEPTH} keep only their counts, at most
 * {@link #MAX_CHILDREN} children are described per container (then {@code "more":true}), and
 * a shape longer than {@link #MAX_LENGTH} characters falls back to the top level's counts.
 */
public final class ArgumentShape {

	public static final int MAX_DEPTH = 4;

	public static final int MAX_CHILDREN = 16;

	public static final int MAX_LENGTH = 4000;

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final ObjectMapper JSON = new ObjectMapper();

	private ArgumentShape() {
	}

	/** The shape of {@code arguments} as compact JSON. */
	public static String of(Map<String, ?> arguments) {
		String shape = write(shape(arguments, 0, MAX_DEPTH, new IdentityHashMap<>()));
		if (shape.length() <= MAX_LENGTH) {
			return shape;
		}
		return write(shape(arguments, 0, 0, new IdentityHashMap<>()));
	}

	private static ObjectNode shape(Object value, int depth, int maxDepth, IdentityHashMap<Object, Boolean> path) {
		ObjectNode node = NODES.objectNode();
		if (value == null) {
			return node.put("type", "null");
		}
		if (value instanceof CharSequence text) {
			return node.put("type", "string").put("length", text.length());
		}
		if (value instanceof Boolean) {
			return node.put("type", "boolean");
		}
		if (value instanceof Number number) {
			boolean integral = number instanceof Integer || number instanceof Long || number instanceof Short
					|| number instanceof Byte || number instanceof BigInteger;
			return node.put("type", integral ? "integer" : "number");
		}
		if (value instanceof byte[] bytes) {
			return node.put("type", "bytes").put("length", bytes.length);
		}
		if (path.containsKey(value)) {
			return node.put("type", "cycle");
		}
		if (value instanceof Map<?, ?> map) {
			node.put("type", "object").put("fields", map.size());
			return children(node, map.values(), depth, maxDepth, path, value);
		}
		if (value instanceof Collection<?> collection) {
			node.put("type", "array").put("items", collection.size());
			return children(node, collection, depth, maxDepth, path, value);
		}
		if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			node.put("type", "array").put("items", length);
			List<Object> items = new ArrayList<>(Math.min(length, MAX_CHILDREN + 1));
			for (int i = 0; i < length && i <= MAX_CHILDREN; i++) {
				items.add(Array.get(value, i));
			}
			return children(node, items, depth, maxDepth, path, value);
		}
		// Arguments arrive as JSON; anything else is described by kind only, never by its class.
		return node.put("type", "value");
	}

	private static ObjectNode children(ObjectNode node, Collection<?> values, int depth, int maxDepth,
			IdentityHashMap<Object, Boolean> path, Object container) {
		if (depth >= maxDepth || values.isEmpty()) {
			return node;
		}
		path.put(container, Boolean.TRUE);
		ArrayNode children = node.putArray("children");
		int count = 0;
		for (Object child : values) {
			if (count++ == MAX_CHILDREN) {
				node.put("more", true);
				break;
			}
			children.add(shape(child, depth + 1, maxDepth, path));
		}
		path.remove(container);
		return node;
	}

	private static String write(ObjectNode shape) {
		try {
			return JSON.writeValueAsString(shape);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("A shape tree is always serializable", ex);
		}
	}

}
