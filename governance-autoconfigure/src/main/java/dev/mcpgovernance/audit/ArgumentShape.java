package dev.mcpgovernance.audit;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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

	private ArgumentShape() {
	}

	/** The shape of {@code arguments} as compact JSON. */
	public static String of(Map<String, ?> arguments) {
		String shape = write(arguments, MAX_DEPTH);
		if (shape.length() <= MAX_LENGTH) {
			return shape;
		}
		return write(arguments, 0);
	}

	// Written straight into text: every key is fixed and every value a count, so no tree and no
	// serializer are needed (they cost more than the rest of the audit record on every call).
	private static String write(Map<String, ?> arguments, int maxDepth) {
		StringBuilder json = new StringBuilder(64);
		shape(json, arguments, 0, maxDepth, new IdentityHashMap<>());
		return json.toString();
	}

	private static void shape(StringBuilder json, Object value, int depth, int maxDepth,
			IdentityHashMap<Object, Boolean> path) {
		if (value == null) {
			type(json, "null").append('}');
		}
		else if (value instanceof CharSequence text) {
			type(json, "string").append(",\"length\":").append(text.length()).append('}');
		}
		else if (value instanceof Boolean) {
			type(json, "boolean").append('}');
		}
		else if (value instanceof Number number) {
			boolean integral = number instanceof Integer || number instanceof Long || number instanceof Short
					|| number instanceof Byte || number instanceof BigInteger;
			type(json, integral ? "integer" : "number").append('}');
		}
		else if (value instanceof byte[] bytes) {
			type(json, "bytes").append(",\"length\":").append(bytes.length).append('}');
		}
		else if (path.containsKey(value)) {
			type(json, "cycle").append('}');
		}
		else if (value instanceof Map<?, ?> map) {
			type(json, "object").append(",\"fields\":").append(map.size());
			children(json, map.values(), depth, maxDepth, path, value);
		}
		else if (value instanceof Collection<?> collection) {
			type(json, "array").append(",\"items\":").append(collection.size());
			children(json, collection, depth, maxDepth, path, value);
		}
		else if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			type(json, "array").append(",\"items\":").append(length);
			List<Object> items = new ArrayList<>(Math.min(length, MAX_CHILDREN + 1));
			for (int i = 0; i < length && i <= MAX_CHILDREN; i++) {
				items.add(Array.get(value, i));
			}
			children(json, items, depth, maxDepth, path, value);
		}
		else {
			// Arguments arrive as JSON; anything else is described by kind only, never by its class.
			type(json, "value").append('}');
		}
	}

	private static StringBuilder type(StringBuilder json, String type) {
		return json.append("{\"type\":\"").append(type).append('"');
	}

	/** The container's children (if any are described), {@code "more"} when some were left out, and its end. */
	private static void children(StringBuilder json, Collection<?> values, int depth, int maxDepth,
			IdentityHashMap<Object, Boolean> path, Object container) {
		if (depth >= maxDepth || values.isEmpty()) {
			json.append('}');
			return;
		}
		path.put(container, Boolean.TRUE);
		json.append(",\"children\":[");
		int count = 0;
		boolean more = false;
		for (Object child : values) {
			if (count == MAX_CHILDREN) {
				more = true;
				break;
			}
			if (count++ > 0) {
				json.append(',');
			}
			shape(json, child, depth + 1, maxDepth, path);
		}
		json.append(']');
		if (more) {
			json.append(",\"more\":true");
		}
		json.append('}');
		path.remove(container);
	}

}
