package dev.mcpgovernance.security;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashMap;

import dev.mcpgovernance.http.JsonRpcMessages;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The transports' JSON mapper, which reuses the parse of the {@link JsonRpcRequestFilter} instead of
 * parsing the body a second time. Spring AI's WebMVC transports read an MCP POST's body as text and
 * give it to {@code McpSchema.deserializeJsonRpcMessage}, which reads it into a map and converts the
 * map into the message. When the text is exactly the body the filter checked on this request, the map
 * holds the top-level members of the filter's tree and the message is read from the tree, so the server
 * also acts on the very tree the filters decided on; any other text (another request, a body the
 * container decoded differently) is parsed as before. Numbers read as {@code BigDecimal},
 * {@code BigInteger} or {@code long} by a customised mapper could read differently from the filter's
 * tree, so such a mapper always parses.
 */
final class ParsedBodyJsonMapper implements McpJsonMapper {

	/** The map handed out for this request's body, so that converting it reads the tree instead. */
	private static final String MAP_ATTRIBUTE = ParsedBodyJsonMapper.class.getName() + ".map";

	private static final Type[] MAP_ARGUMENTS = { String.class, Object.class };

	private final JsonMapper jsonMapper;

	private final McpJsonMapper delegate;

	private final boolean sameNumbers;

	ParsedBodyJsonMapper(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
		this.delegate = new JacksonMcpJsonMapper(jsonMapper);
		this.sameNumbers = !jsonMapper.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
				&& !jsonMapper.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
				&& !jsonMapper.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T readValue(String content, TypeRef<T> type) throws IOException {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		JsonNode parsed = (request != null) ? parsedBody(request, content) : null;
		if (parsed == null || !isStringObjectHashMap(type.getType())) {
			return this.delegate.readValue(content, type);
		}
		// The SDK only asks the map which members the message has, then converts it: a map of the
		// top-level members' trees is what Jackson would convert the same way, and is not built in depth.
		HashMap<String, Object> map = new HashMap<>();
		parsed.properties().forEach((member) -> map.put(member.getKey(), member.getValue()));
		request.setAttribute(MAP_ATTRIBUTE, map, RequestAttributes.SCOPE_REQUEST);
		return (T) map;
	}

	/** Whether the SDK asks for what it reads a message into: {@code HashMap<String, Object>}. */
	private static boolean isStringObjectHashMap(Type type) {
		return type instanceof ParameterizedType map && map.getRawType() == HashMap.class
				&& Arrays.equals(map.getActualTypeArguments(), MAP_ARGUMENTS);
	}

	/** The filter's tree when {@code content} is the very body it parsed on this request; else {@code null}. */
	private JsonNode parsedBody(RequestAttributes request, String content) {
		if (!this.sameNumbers) {
			return null;
		}
		Object text = request.getAttribute(JsonRpcMessages.BODY_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		Object message = request.getAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		return (message instanceof JsonNode tree && content.equals(text)) ? tree : null;
	}

	@Override
	public <T> T convertValue(Object fromValue, Class<T> type) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null && fromValue != null
				&& fromValue == request.getAttribute(MAP_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
				&& request.getAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE,
						RequestAttributes.SCOPE_REQUEST) instanceof JsonNode tree) {
			request.removeAttribute(MAP_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
			try {
				return this.jsonMapper.treeToValue(tree, type);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException(ex);
			}
		}
		return this.delegate.convertValue(fromValue, type);
	}

	@Override
	public <T> T readValue(String content, Class<T> type) throws IOException {
		return this.delegate.readValue(content, type);
	}

	@Override
	public <T> T readValue(byte[] content, Class<T> type) throws IOException {
		return this.delegate.readValue(content, type);
	}

	@Override
	public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
		return this.delegate.readValue(content, type);
	}

	@Override
	public <T> T convertValue(Object fromValue, TypeRef<T> type) {
		return this.delegate.convertValue(fromValue, type);
	}

	@Override
	public String writeValueAsString(Object value) throws IOException {
		return this.delegate.writeValueAsString(value);
	}

	@Override
	public byte[] writeValueAsBytes(Object value) throws IOException {
		return this.delegate.writeValueAsBytes(value);
	}

}
