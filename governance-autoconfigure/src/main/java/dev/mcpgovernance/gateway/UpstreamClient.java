package dev.mcpgovernance.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mcpgovernance.adapter.DataAdapter;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;

/**
 * The MCP Java SDK client of one upstream, as the {@link DataAdapter} its calls run through (so the
 * upstream has its own circuit breaker, retry and time limit). Headers of one call (its credential)
 * travel to the HTTP request in the SDK's transport context, never in shared state.
 *
 * <p>A session opened for one caller has that caller's {@link CallerChannel}: it declares the
 * caller's elicitation modes and hands progress, log messages and elicitation requests to it. The
 * asynchronous client is used, blocking per call like the SDK's synchronous one, because its
 * consumers run in order on the thread that reads the upstream's stream: a call's last progress
 * and log messages are handed on before its result, where the synchronous client's would run later
 * on another thread, after the call has ended.
 */
final class UpstreamClient implements DataAdapter, AutoCloseable {

	private static final String HEADERS = "mcp.governance.upstream-headers";

	private static final ThreadLocal<HttpHeaders> CALL_HEADERS = new ThreadLocal<>();

	private final UpstreamDefinition upstream;

	private final HttpHeaders serviceHeaders;

	private final McpAsyncClient client;

	/**
	 * Connects and initializes the shared session, which forwards nothing (it declares no client
	 * capability) but hears the upstream's {@code list_changed} notifications.
	 * @param serviceHeaders the credential of every request (initialize, tools/list), may be empty
	 * @param listChanged told when the upstream says its tools, resources or prompts changed, on the
	 * transport's thread: it must not block
	 * @throws RuntimeException when the upstream cannot be reached or refuses the session
	 */
	UpstreamClient(UpstreamDefinition upstream, HttpHeaders serviceHeaders, Duration connectTimeout,
			Duration requestTimeout, Runnable listChanged) {
		this(upstream, serviceHeaders, connectTimeout, requestTimeout, null, listChanged);
	}

	/**
	 * Connects and initializes a session.
	 * @param serviceHeaders the credential of every request (initialize, tools/list), may be empty
	 * @param caller the one caller this session serves, or {@code null} for a session that forwards nothing
	 * @throws RuntimeException when the upstream cannot be reached or refuses the session
	 */
	UpstreamClient(UpstreamDefinition upstream, HttpHeaders serviceHeaders, Duration connectTimeout,
			Duration requestTimeout, CallerChannel caller) {
		this(upstream, serviceHeaders, connectTimeout, requestTimeout, caller, null);
	}

	private UpstreamClient(UpstreamDefinition upstream, HttpHeaders serviceHeaders, Duration connectTimeout,
			Duration requestTimeout, CallerChannel caller, Runnable listChanged) {
		this.upstream = upstream;
		this.serviceHeaders = serviceHeaders;
		McpClient.AsyncSpec spec = McpClient.async(transport(upstream, connectTimeout))
			.requestTimeout(requestTimeout)
			.initializationTimeout(requestTimeout)
			.clientInfo(new McpSchema.Implementation("mcp-governance-gateway", "1.0"));
		if (caller != null) {
			spec.capabilities(caller.capabilities())
				.progressConsumer(caller::progress)
				.loggingConsumer(caller::log)
				.elicitation(caller::elicit)
				.urlElicitation(caller::elicit);
		}
		if (listChanged != null) {
			// The SDK lists the first page itself before telling; what it listed is not used, every page is read anew.
			spec.toolsChangeConsumer((tools) -> Mono.fromRunnable(listChanged))
				.resourcesChangeConsumer((resources) -> Mono.fromRunnable(listChanged))
				.promptsChangeConsumer((prompts) -> Mono.fromRunnable(listChanged));
		}
		this.client = spec.build();
		try {
			blocking(this.client.initialize());
		}
		catch (RuntimeException ex) {
			this.client.close();
			throw ex;
		}
	}

	@Override
	public String name() {
		return this.upstream.adapterName();
	}

	/** Every tool the upstream lists, across pages. */
	List<McpSchema.Tool> listTools() {
		List<McpSchema.Tool> tools = new ArrayList<>();
		String cursor = null;
		do {
			McpSchema.ListToolsResult page = blocking(
					(cursor != null) ? this.client.listTools(cursor) : this.client.listTools());
			tools.addAll(page.tools());
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return tools;
	}

	/** What the upstream declared it offers in its {@code initialize} answer. */
	McpSchema.ServerCapabilities capabilities() {
		McpSchema.ServerCapabilities capabilities = this.client.getServerCapabilities();
		return (capabilities != null) ? capabilities : McpSchema.ServerCapabilities.builder().build();
	}

	/** Every resource the upstream lists, across pages; none when it declares no resources. */
	List<McpSchema.Resource> listResources() {
		if (capabilities().resources() == null) {
			return List.of();
		}
		List<McpSchema.Resource> resources = new ArrayList<>();
		String cursor = null;
		do {
			McpSchema.ListResourcesResult page = blocking(
					(cursor != null) ? this.client.listResources(cursor) : this.client.listResources());
			resources.addAll(page.resources());
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return resources;
	}

	/** Every resource template the upstream lists, across pages; none when it declares no resources. */
	List<McpSchema.ResourceTemplate> listResourceTemplates() {
		if (capabilities().resources() == null) {
			return List.of();
		}
		List<McpSchema.ResourceTemplate> templates = new ArrayList<>();
		String cursor = null;
		do {
			McpSchema.ListResourceTemplatesResult page = blocking(
					(cursor != null) ? this.client.listResourceTemplates(cursor) : this.client.listResourceTemplates());
			templates.addAll(page.resourceTemplates());
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return templates;
	}

	/** Every prompt the upstream lists, across pages; none when it declares no prompts. */
	List<McpSchema.Prompt> listPrompts() {
		if (capabilities().prompts() == null) {
			return List.of();
		}
		List<McpSchema.Prompt> prompts = new ArrayList<>();
		String cursor = null;
		do {
			McpSchema.ListPromptsResult page = blocking(
					(cursor != null) ? this.client.listPrompts(cursor) : this.client.listPrompts());
			prompts.addAll(page.prompts());
			cursor = page.nextCursor();
		}
		while (cursor != null);
		return prompts;
	}

	/**
	 * Reads a resource by the URI the caller sent (no {@code _meta}: nothing of the caller's goes on),
	 * with the headers of this read on top of the service's.
	 */
	McpSchema.ReadResourceResult readResource(String uri, HttpHeaders callHeaders) {
		return withHeaders(callHeaders, () -> blocking(this.client.readResource(new McpSchema.ReadResourceRequest(uri))));
	}

	/**
	 * Gets a prompt by its upstream name with the caller's arguments (no {@code _meta}), with the
	 * headers of this get on top of the service's.
	 */
	McpSchema.GetPromptResult getPrompt(String name, Map<String, Object> arguments, HttpHeaders callHeaders) {
		return withHeaders(callHeaders,
				() -> blocking(this.client.getPrompt(new McpSchema.GetPromptRequest(name, arguments))));
	}

	/**
	 * Asks for the completions of a prompt argument or a template variable, by the reference, argument
	 * and context the caller sent (no {@code _meta}), with the headers of this request on top of the service's.
	 */
	McpSchema.CompleteResult complete(McpSchema.CompleteRequest request, HttpHeaders callHeaders) {
		return withHeaders(callHeaders, () -> blocking(this.client.completeCompletion(
				new McpSchema.CompleteRequest(request.ref(), request.argument(), null, request.context()))));
	}

	/**
	 * Calls a tool by its upstream name, with the headers of this call on top of the service's.
	 * @param progressToken the token the upstream reports progress under, {@code null} for none
	 */
	McpSchema.CallToolResult call(String originalName, Map<String, Object> arguments, HttpHeaders callHeaders,
			String progressToken) {
		return withHeaders(callHeaders, () -> blocking(this.client.callTool(new McpSchema.CallToolRequest(originalName,
				arguments, (progressToken != null) ? Map.of("progressToken", progressToken) : null))));
	}

	private static <T> T withHeaders(HttpHeaders callHeaders, Supplier<T> request) {
		CALL_HEADERS.set(callHeaders);
		try {
			return request.get();
		}
		finally {
			CALL_HEADERS.remove();
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	// What the SDK's synchronous client does: the calling thread's context travels with the request.
	private static <T> T blocking(Mono<T> action) {
		McpTransportContext context = currentContext();
		return action.contextWrite((reactor) -> reactor.put(McpTransportContext.KEY, context)).block();
	}

	private static McpTransportContext currentContext() {
		HttpHeaders headers = CALL_HEADERS.get();
		return (headers != null) ? McpTransportContext.create(Map.of(HEADERS, headers)) : McpTransportContext.EMPTY;
	}

	private McpClientTransport transport(UpstreamDefinition upstream, Duration connectTimeout) {
		URI url = upstream.url();
		String base = url.getScheme() + "://" + url.getRawAuthority();
		String path = (url.getRawPath() != null && !url.getRawPath().isEmpty()) ? url.getRawPath() : "/";
		if (url.getRawQuery() != null) {
			path = path + "?" + url.getRawQuery();
		}
		return switch (upstream.transport()) {
			case STREAMABLE -> HttpClientStreamableHttpTransport.builder(base)
				.endpoint(path)
				.clientBuilder(SseTolerantHttpClient.builder())
				.connectTimeout(connectTimeout)
				.httpRequestCustomizer(this::addHeaders)
				.build();
			case SSE -> HttpClientSseClientTransport.builder(base)
				.sseEndpoint(path)
				.clientBuilder(SseTolerantHttpClient.builder())
				.connectTimeout(connectTimeout)
				.httpRequestCustomizer(this::addHeaders)
				.build();
		};
	}

	private void addHeaders(HttpRequest.Builder request, String method, URI endpoint, String body,
			McpTransportContext context) {
		this.serviceHeaders.forEach((name, values) -> request.setHeader(name, values.get(0)));
		Object callHeaders = (context != null) ? context.get(HEADERS) : null;
		if (callHeaders instanceof HttpHeaders headers) {
			// A call's own credential (an exchanged token) replaces the service's.
			headers.forEach((name, values) -> request.setHeader(name, values.get(0)));
		}
	}

}
