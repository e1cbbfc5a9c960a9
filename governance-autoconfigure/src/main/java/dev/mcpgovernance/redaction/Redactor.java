package dev.mcpgovernance.redaction;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Removes sensitive data from tool results and audit records. Two rules, applied at any depth:
 * <ul>
 * <li>the value under a sensitive key (see {@link SensitiveKeys}) becomes {@value #REDACTED},
 * whatever it is (a string, a number, a whole object);</li>
 * <li>a sensitive value inside a string (see {@link ValuePattern}, {@link Detector}) becomes
 * {@code [REDACTED:<name>]}, e.g. {@code [REDACTED:email]}; so do map keys that contain one.</li>
 * </ul>
 * A string that holds a JSON object or array is redacted as JSON. Nothing passed in is modified.
 * Immutable and thread-safe.
 */
public class Redactor {

	/** What replaces the value under a sensitive key. */
	public static final String REDACTED = "[REDACTED]";

	private static final int MAX_KNOWN_KEYS = 1024;

	private static final int MAX_KNOWN_KEY_LENGTH = 64;

	private final SensitiveKeys keys;

	private final List<ValuePattern> patterns;

	private final ValueScanner scanner;

	/**
	 * Whether each key met before is a sensitive key: results repeat the same few keys, and matching a
	 * key against every glob costs more than the rest of its field. Only keys with no sensitive value in
	 * them are kept (so no personal data is held here), and only so many: further keys are matched every time.
	 */
	private final Map<String, Boolean> knownKeys = new ConcurrentHashMap<>();

	private final ObjectMapper objectMapper;

	private final ObjectReader strictReader;

	private final JavaValues javaValues;

	/**
	 * @param keys the sensitive keys
	 * @param patterns the value patterns, applied in this order
	 * @param objectMapper how Java objects (records, beans, dates…) look as JSON
	 */
	public Redactor(SensitiveKeys keys, List<ValuePattern> patterns, ObjectMapper objectMapper) {
		this.keys = keys;
		this.patterns = List.copyOf(patterns);
		this.scanner = new ValueScanner(this.patterns);
		this.objectMapper = objectMapper;
		this.strictReader = objectMapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.javaValues = new JavaValues(this, objectMapper);
	}

	/** The default keys and every built-in detector, with a plain {@link ObjectMapper}. */
	public static Redactor withDefaults() {
		List<ValuePattern> patterns = new ArrayList<>();
		for (Detector detector : Detector.values()) {
			patterns.add(detector.pattern());
		}
		return new Redactor(SensitiveKeys.of(SensitiveKeys.DEFAULTS), patterns,
				JsonMapper.builder().findAndAddModules().build());
	}

	/** A redactor that also treats these key globs as sensitive (e.g. a tool's {@code redact} keys). */
	public Redactor withAdditionalKeys(Collection<String> keyGlobs) {
		if (keyGlobs.isEmpty()) {
			return this;
		}
		return new Redactor(this.keys.plus(keyGlobs), this.patterns, this.objectMapper);
	}

	public SensitiveKeys keys() {
		return this.keys;
	}

	public List<ValuePattern> patterns() {
		return this.patterns;
	}

	ObjectMapper objectMapper() {
		return this.objectMapper;
	}

	/**
	 * A redacted JSON tree.
	 * @return the node itself when it holds nothing sensitive, otherwise a redacted copy
	 */
	public JsonNode redact(JsonNode node) {
		return redactNode(node, new Path());
	}

	/**
	 * The JSON form of any value (maps, collections, arrays, records, beans, UTF-8 text in a
	 * {@code byte[]}), redacted. A reference back into the value's own path becomes
	 * {@code [REDACTED:cycle]}, and bytes that are not UTF-8 text {@code [REDACTED:binary]}.
	 * @return a new tree; the value is not modified
	 */
	public JsonNode redact(Object value) {
		return redact(value, new Path());
	}

	/** As {@link #redact(Object)}; afterwards {@code path} tells whether anything was replaced. */
	JsonNode redact(Object value, Path path) {
		return this.javaValues.toRedactedTree(value, path);
	}

	/**
	 * Redacted text: as JSON when it is a JSON object or array, otherwise with the value patterns.
	 * @return the very same string when nothing in it is sensitive
	 */
	public String redactText(String text) {
		return redactText(text, new Path());
	}

	JsonNode redactNode(JsonNode node, Path path) {
		if (node == null) {
			return null;
		}
		if (node.isContainer()) {
			JsonNode refused = path.enter(node);
			if (refused != null) {
				return refused;
			}
			try {
				return node.isObject() ? redactObject((ObjectNode) node, path) : redactArray((ArrayNode) node, path);
			}
			finally {
				path.leave(node);
			}
		}
		if (node.isString()) {
			String redacted = redactText(node.stringValue(), path);
			return (redacted == node.stringValue()) ? node : StringNode.valueOf(redacted);
		}
		if (node.isIntegralNumber()) {
			// A card number stored as a JSON number is still a card number.
			String digits = node.asString("");
			String redacted = applyPatterns(digits);
			return (redacted == digits) ? node : path.replaced(StringNode.valueOf(redacted));
		}
		return node;
	}

	private JsonNode redactObject(ObjectNode object, Path path) {
		List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.size());
		boolean changed = false;
		for (Map.Entry<String, JsonNode> field : object.properties()) {
			String key = redactKey(field.getKey(), path);
			JsonNode value = redactField(field.getKey(), field.getValue(), path);
			changed |= (key != field.getKey()) || (value != field.getValue());
			fields.add(Map.entry(key, value));
		}
		if (!changed) {
			return object;
		}
		ObjectNode copy = JsonNodeFactory.instance.objectNode();
		fields.forEach((field) -> copy.set(uniqueKey(copy, field.getKey()), field.getValue()));
		return copy;
	}

	private JsonNode redactArray(ArrayNode array, Path path) {
		List<JsonNode> elements = new ArrayList<>(array.size());
		boolean changed = false;
		for (JsonNode element : array) {
			JsonNode redacted = redactNode(element, path);
			changed |= redacted != element;
			elements.add(redacted);
		}
		if (!changed) {
			return array;
		}
		ArrayNode copy = JsonNodeFactory.instance.arrayNode(elements.size());
		copy.addAll(elements);
		return copy;
	}

	/** The value under a key: {@value #REDACTED} for a sensitive key (unless null), else redacted on its own. */
	JsonNode redactField(String key, JsonNode value, Path path) {
		if (value != null && !value.isNull() && isSensitiveKey(key)) {
			return (value.isString() && REDACTED.equals(value.stringValue())) ? value : path.replaced(StringNode.valueOf(REDACTED));
		}
		return redactNode(value, path);
	}

	boolean isSensitiveKey(String key) {
		Boolean known = this.knownKeys.get(key);
		return (known != null) ? known : this.keys.matches(key);
	}

	/** A map key with any sensitive value in it redacted (an e-mail address used as a key, say). */
	String redactKey(String key, Path path) {
		String redacted = applyPatterns(key);
		if (redacted != key) {
			return path.replaced(redacted);
		}
		if (key.length() <= MAX_KNOWN_KEY_LENGTH && this.knownKeys.size() < MAX_KNOWN_KEYS
				&& !this.knownKeys.containsKey(key)) {
			this.knownKeys.put(key, this.keys.matches(key));
		}
		return key;
	}

	String redactText(String text, Path path) {
		if (looksLikeJson(text)) {
			JsonNode parsed = parseJson(text);
			if (parsed != null) {
				JsonNode redacted = redactNode(parsed, path);
				return (redacted == parsed) ? text : write(redacted);
			}
		}
		String redacted = applyPatterns(text);
		return (redacted == text) ? text : path.replaced(redacted);
	}

	/** UTF-8 text in bytes, redacted; {@code null} when the bytes are not UTF-8 text. */
	String redactBytes(byte[] bytes, Path path) {
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
			return redactText(text, path);
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private String applyPatterns(String text) {
		return this.scanner.redact(text);
	}

	private static boolean looksLikeJson(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isWhitespace(c)) {
				return c == '{' || c == '[';
			}
		}
		return false;
	}

	private JsonNode parseJson(String text) {
		try {
			JsonNode parsed = this.strictReader.readTree(text);
			return (parsed != null && parsed.isContainer()) ? parsed : null;
		}
		catch (Exception ex) {
			return null;
		}
	}

	private String write(JsonNode node) {
		try {
			return this.objectMapper.writeValueAsString(node);
		}
		catch (Exception ex) {
			// A tree made of plain nodes always serializes; if it ever does not, fail closed.
			return REDACTED;
		}
	}

	static String uniqueKey(ObjectNode object, String key) {
		String unique = key;
		for (int n = 2; object.has(unique); n++) {
			unique = key + " (" + n + ")";
		}
		return unique;
	}

}
