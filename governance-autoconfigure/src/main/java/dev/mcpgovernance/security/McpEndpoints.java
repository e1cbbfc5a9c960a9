package dev.mcpgovernance.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
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
 */
public record McpEndpoints(List<String> mcpPaths, String primaryPath) {

	/** Root of the RFC 9728 protected resource metadata documents. */
	public static final String RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

	private static final String SPRING_AI_PREFIX = "spring.ai.mcp.server";

	public McpEndpoints {
		mcpPaths = List.copyOf(mcpPaths);
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
		return new McpEndpoints(new ArrayList<>(paths), primary);
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
