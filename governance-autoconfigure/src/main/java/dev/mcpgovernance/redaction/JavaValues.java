package dev.mcpgovernance.redaction;

import java.lang.reflect.Array;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;
import tools.jackson.databind.ser.bean.BeanSerializerBase;

/**
 * Turns Java values into redacted JSON trees. Containers (maps, iterables, arrays) and beans
 * (records, POJOs: whatever Jackson writes with a bean serializer, so {@code @JsonProperty} and
 * {@code @JsonIgnore} are honoured) are walked here, one level at a time, so that a cycle is caught
 * instead of overflowing Jackson; every other value (numbers, dates, enums, URIs…) is converted by
 * Jackson and then redacted as JSON.
 */
final class JavaValues {

	static final StringNode BINARY = StringNode.valueOf("[REDACTED:binary]");

	private final Redactor redactor;

	private final ObjectMapper objectMapper;

	JavaValues(Redactor redactor, ObjectMapper objectMapper) {
		this.redactor = redactor;
		this.objectMapper = objectMapper;
	}

	JsonNode toRedactedTree(Object value, Path path) {
		if (value == null) {
			return NullNode.getInstance();
		}
		if (value instanceof JsonNode node) {
			return this.redactor.redactNode(node, path);
		}
		if (value instanceof CharSequence text) {
			return StringNode.valueOf(this.redactor.redactText(text.toString(), path));
		}
		if (value instanceof char[] chars) {
			return StringNode.valueOf(this.redactor.redactText(new String(chars), path));
		}
		if (value instanceof byte[] bytes) {
			String text = this.redactor.redactBytes(bytes, path);
			return (text != null) ? StringNode.valueOf(text) : path.replaced(BINARY);
		}
		if (value instanceof Optional<?> optional) {
			return toRedactedTree(optional.orElse(null), path);
		}
		boolean container = value instanceof Map || value instanceof Iterable || value.getClass().isArray()
				|| isBean(value);
		if (!container) {
			return this.redactor.redactNode(scalarToTree(value, path), path);
		}
		JsonNode refused = path.enter(value);
		if (refused != null) {
			return refused;
		}
		try {
			if (value instanceof Map<?, ?> map) {
				return mapToTree(map, path);
			}
			if (value instanceof Iterable<?> iterable) {
				ArrayNode array = JsonNodeFactory.instance.arrayNode();
				iterable.forEach((element) -> array.add(toRedactedTree(element, path)));
				return array;
			}
			if (value.getClass().isArray()) {
				ArrayNode array = JsonNodeFactory.instance.arrayNode();
				for (int i = 0; i < Array.getLength(value); i++) {
					array.add(toRedactedTree(Array.get(value, i), path));
				}
				return array;
			}
			return beanToTree(value, path);
		}
		finally {
			path.leave(value);
		}
	}

	private JsonNode mapToTree(Map<?, ?> map, Path path) {
		ObjectNode object = JsonNodeFactory.instance.objectNode();
		map.forEach((key, value) -> putField(object, String.valueOf(key), value, path));
		return object;
	}

	private JsonNode beanToTree(Object bean, Path path) {
		SerializationContext context = this.objectMapper._serializationContext();
		BeanDescription description = context.introspectBeanDescription(context.constructType(bean.getClass()));
		ObjectNode object = JsonNodeFactory.instance.objectNode();
		for (BeanPropertyDefinition property : description.findProperties()) {
			AnnotatedMember accessor = property.getAccessor();
			if (accessor == null || !property.couldSerialize()) {
				continue;
			}
			accessor.fixAccess(true);
			putField(object, property.getName(), readProperty(accessor, bean, path), path);
		}
		return object;
	}

	private void putField(ObjectNode object, String key, Object value, Path path) {
		// The key first: the redactor then knows whether it is sensitive without matching it again.
		String redactedKey = this.redactor.redactKey(key, path);
		JsonNode redacted = (value != null && this.redactor.isSensitiveKey(key))
				? path.replaced(StringNode.valueOf(Redactor.REDACTED)) : toRedactedTree(value, path);
		object.set(Redactor.uniqueKey(object, redactedKey), redacted);
	}

	private static Object readProperty(AnnotatedMember accessor, Object bean, Path path) {
		try {
			return accessor.getValue(bean);
		}
		catch (RuntimeException ex) {
			// A getter that fails tells us nothing we may show; leave a marker rather than a value.
			return path.replaced(Redactor.REDACTED);
		}
	}

	private JsonNode scalarToTree(Object value, Path path) {
		try {
			return this.objectMapper.valueToTree(value);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			// Jackson cannot write it, so we cannot look inside it: show nothing of it.
			return path.replaced(StringNode.valueOf(Redactor.REDACTED));
		}
	}

	private boolean isBean(Object value) {
		try {
			return this.objectMapper._serializationContext()
				.findValueSerializer(value.getClass()) instanceof BeanSerializerBase;
		}
		catch (Exception ex) {
			return false;
		}
	}

}
