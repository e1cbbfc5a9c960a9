package dev.mcpgovernance.security;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Tells the {@link ToolCallListener}s (the audit trail) of a {@code tools/call} refused at the HTTP
 * level, before the governor sees it: 401 (no or a bad credential), 429 (per-caller limit) and the
 * 403 scope step-up. Requests refused before their body was read have it read here, bounded like
 * {@link JsonRpcRequestFilter}; anything that is not a well-formed {@code tools/call} is not reported.
 */
public class RefusedToolCallReporter {

	private static final Log logger = LogFactory.getLog(RefusedToolCallReporter.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int MAX_TOOL_NAME = 200;

	private final RequestMatcher mcpEndpoints;

	private final Supplier<Stream<ToolCallListener>> listeners;

	private final Supplier<GovernedToolRegistry> registry;

	private final long maxBytes;

	/**
	 * @param listeners the listeners, looked up per report (they may depend on beans created after this one)
	 * @param registry the governed tools; may supply {@code null}
	 * @param maxBytes the largest body read, as for {@link JsonRpcRequestFilter}
	 */
	public RefusedToolCallReporter(RequestMatcher mcpEndpoints, Supplier<Stream<ToolCallListener>> listeners,
			Supplier<GovernedToolRegistry> registry, long maxBytes) {
		this.mcpEndpoints = mcpEndpoints;
		this.listeners = listeners;
		this.registry = registry;
		this.maxBytes = maxBytes;
	}

	/**
	 * Reports the request when it is a {@code tools/call} to an MCP endpoint; never throws.
	 * @param caller the verified caller, {@code null} when none
	 * @param code the error the caller gets
	 */
	public void report(HttpServletRequest request, CallerIdentity caller, ToolErrorCode code) {
		try {
			if (!HttpMethod.POST.matches(request.getMethod()) || !this.mcpEndpoints.matches(request)) {
				return;
			}
			JsonNode message = message(request);
			if (message == null || !"tools/call".equals(message.path("method").asString(""))
					|| !message.path("params").path("name").isString()) {
				return;
			}
			String toolName = message.path("params").path("name").asString("");
			if (toolName.length() > MAX_TOOL_NAME) {
				toolName = toolName.substring(0, MAX_TOOL_NAME);
			}
			GovernedToolRegistry tools = this.registry.get();
			ToolPolicy policy = (tools != null) ? tools.find(toolName).orElse(null) : null;
			JsonNode arguments = message.path("params").path("arguments");
			Map<String, Object> values = arguments.isObject()
					? JSON.convertValue(arguments, new TypeReference<Map<String, Object>>() { }) : Map.of();
			ToolCallEvent event = new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), toolName, policy,
					caller, CallOutcome.of(code), code, null, false, 0, values);
			this.listeners.get().forEach((listener) -> notify(listener, event));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not report a refused tool call (" + ex.getClass().getName() + ")");
		}
	}

	private static void notify(ToolCallListener listener, ToolCallEvent event) {
		try {
			listener.onToolCall(event);
		}
		catch (RuntimeException ex) {
			logger.warn("Tool-call listener " + listener.getClass().getName() + " failed with " + ex.getClass().getName()
					+ " (request " + event.requestId() + ")");
		}
	}

	/** The message the JSON-RPC filter left, or the body read now (the request is answered with an error anyway). */
	private JsonNode message(HttpServletRequest request) throws IOException {
		Object parsed = request.getAttribute(JsonRpcRequestFilter.MESSAGE_ATTRIBUTE);
		if (parsed instanceof JsonNode node) {
			return node;
		}
		if (request.getContentLengthLong() > this.maxBytes) {
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxBytes + 1));
			if (body.length > this.maxBytes) {
				return null;
			}
			JsonNode node = JSON.readTree(body);
			return (node != null && JsonRpcRequestFilter.check(node) == null) ? node : null;
		}
		catch (IOException | JacksonException ex) {
			return null;
		}
	}

}
