package dev.mcpgovernance.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The paths Spring AI's MCP server can answer on: the streamable/stateless endpoint and the legacy
 * SSE pair. All of them are protected whatever protocol is configured, so that switching protocol
 * can never leave an endpoint open.
 *
 * @param mcpPaths every MCP endpoint path (under the servlet context path)
 * @param primaryPath the endpoint clients should use; the RFC 9728 document names it
 * @param served the HTTP methods the configured protocol serves on each path; every other path of
 * {@code mcpPaths} (and anything below them) is not served
 */
public record McpEndpoints(List<String> mcpPaths, String primaryPath, Map<String, Set<HttpMethod>> served) {

	/** Root of the RFC 9728 protected resource metadata documents. */
	public static final String RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

	private static final String SPRING_AI_PREFIX = "spring.ai.mcp.server";

	public McpEndpoints {
		mcpPaths = List.copyOf(mcpPaths);
		served = Map.copyOf(served);
	}

	/** Reads the endpoint paths from Spring AI's own properties, with Spring AI's defaults. */
	public static McpEndpoints from(Environment environment) {
		Binder binder = Binder.get(environment);
		String streamable = binder.bind(SPRING_AI_PREFIX + ".streamable-http.mcp-endpoint", String.class).orElse("/mcp");
		String sse = binder.bind(SPRING_AI_PREFIX + ".sse-endpoint", String.class).orElse("/sse");
		String sseMessage = binder.bind(SPRING_AI_PREFIX + ".sse-message-endpoint", String.class).orElse("/mcp/message");
		String protocol = binder.bind(SPRING_AI_PREFIX + ".protocol", String.class).orElse("SSE");
		String primary = "SSE".equalsIgnoreCase(protocol) ? sse : streamable;
		Set<String> paths = new LinkedHashSet<>(List.of(primary, streamable, sse, sseMessage));
		Map<String, Set<HttpMethod>> served = new LinkedHashMap<>();
		if ("SSE".equalsIgnoreCase(protocol)) {
			served.put(sse, Set.of(HttpMethod.GET));
			served.put(sseMessage, Set.of(HttpMethod.POST));
		}
		else if ("STATELESS".equalsIgnoreCase(protocol)) {
			served.put(streamable, Set.of(HttpMethod.POST));
		}
		else {
			boolean disallowDelete = binder.bind(SPRING_AI_PREFIX + ".streamable-http.disallow-delete", Boolean.class)
				.orElse(false);
			served.put(streamable, disallowDelete ? Set.of(HttpMethod.GET, HttpMethod.POST)
					: Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE));
		}
		return new McpEndpoints(new ArrayList<>(paths), primary, served);
	}

	/**
	 * The methods the configured protocol serves on the request's path; empty when it serves none
	 * there (a legacy path of another protocol, or a path below an endpoint).
	 */
	public Set<HttpMethod> methodsServed(HttpServletRequest request) {
		return servedMethods().of(request);
	}

	/** {@link #methodsServed} with its path matchers built once, for a filter that asks on every request. */
	ServedMethods servedMethods() {
		Map<RequestMatcher, Set<HttpMethod>> byPath = new LinkedHashMap<>();
		this.served.forEach((path, methods) -> byPath.put(PathPatternRequestMatcher.withDefaults().matcher(path), methods));
		return new ServedMethods(byPath);
	}

	/** The methods served per path, with each path's matcher parsed already. */
	static final class ServedMethods {

		private final Map<RequestMatcher, Set<HttpMethod>> byPath;

		private ServedMethods(Map<RequestMatcher, Set<HttpMethod>> byPath) {
			this.byPath = byPath;
		}

		Set<HttpMethod> of(HttpServletRequest request) {
			for (Map.Entry<RequestMatcher, Set<HttpMethod>> path : this.byPath.entrySet()) {
				if (path.getKey().matches(request)) {
					return path.getValue();
				}
			}
			return Set.of();
		}

	}

	/** Matches the MCP endpoints and anything below them. */
	public RequestMatcher mcpRequestMatcher() {
		List<RequestMatcher> matchers = new ArrayList<>();
		for (String path : this.mcpPaths) {
			matchers.add(PathPatternRequestMatcher.withDefaults().matcher(path));
			matchers.add(PathPatternRequestMatcher.withDefaults().matcher(path + "/**"));
		}
		return new OrRequestMatcher(matchers);
	}

	/**
	 * Matches a GET that opens a legacy SSE event stream: the path the protocol serves with GET
	 * alone (the streamable endpoint serves GET beside POST); matches nothing on other protocols.
	 */
	public RequestMatcher eventStreamOpeningMatcher() {
		List<RequestMatcher> matchers = new ArrayList<>();
		this.served.forEach((path, methods) -> {
			if (methods.equals(Set.of(HttpMethod.GET))) {
				matchers.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, path));
			}
		});
		return matchers.isEmpty() ? (request) -> false : new OrRequestMatcher(matchers);
	}

	/** Matches the RFC 9728 documents: the root one and the path-inserted ones. */
	public RequestMatcher resourceMetadataRequestMatcher() {
		return new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(RESOURCE_METADATA_PATH),
				PathPatternRequestMatcher.withDefaults().matcher(RESOURCE_METADATA_PATH + "/**"));
	}

	/** Everything the starter's filter chain covers. */
	public RequestMatcher allRequestMatcher() {
		return new OrRequestMatcher(mcpRequestMatcher(), resourceMetadataRequestMatcher());
	}

}
