package dev.mcpgovernance.security;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import dev.mcpgovernance.http.JsonRpcMessages;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.VerifiedCaller;
import dev.mcpgovernance.tool.CallOutcome;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;
import dev.mcpgovernance.tool.UnknownToolName;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Tells the {@link ToolCallListener}s (the audit trail) of a {@code tools/call} refused at the HTTP
 * level, before the governor sees it: 401 (no or a bad credential), 429 (per-caller limit), the 403
 * scope step-up, and a {@code tools/call} too malformed to dispatch (400, {@link #reportMalformed}).
 * Requests refused before their body was read have it read here, bounded like
 * {@link JsonRpcRequestFilter}; anything that is not a {@code tools/call} is not reported. A name
 * that is neither governed nor a tool of the running server is recorded by its shape
 * ({@link UnknownToolName}), never as sent.
 */
public class RefusedToolCallReporter {

	private static final Log logger = LogFactory.getLog(RefusedToolCallReporter.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final RequestMatcher mcpEndpoints;

	private final Supplier<Stream<ToolCallListener>> listeners;

	private final Supplier<GovernedToolRegistry> registry;

	private final Predicate<String> served;

	private final long maxBytes;

	/**
	 * @param listeners the listeners, looked up per report (they may depend on beans created after this one)
	 * @param registry the governed tools; may supply {@code null}
	 * @param served whether the running MCP server has a tool by a name (an ungoverned one too)
	 * @param maxBytes the largest body read, as for {@link JsonRpcRequestFilter}
	 */
	public RefusedToolCallReporter(RequestMatcher mcpEndpoints, Supplier<Stream<ToolCallListener>> listeners,
			Supplier<GovernedToolRegistry> registry, Predicate<String> served, long maxBytes) {
		this.mcpEndpoints = mcpEndpoints;
		this.listeners = listeners;
		this.registry = registry;
		this.served = served;
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
			notifyListeners(message, caller, code);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not report a refused tool call (" + ex.getClass().getName() + ")");
		}
	}

	/**
	 * Reports a JSON-RPC message the JSON-RPC check refused (400) when it is a {@code tools/call}: its
	 * name missing, not a string, or its arguments not an object. Recorded as {@code invalid_input}
	 * with the verified caller; never throws.
	 * @param message the parsed body the check refused
	 */
	public void reportMalformed(HttpServletRequest request, JsonNode message) {
		try {
			if (message == null || !message.isObject() || !"tools/call".equals(message.path("method").asString(""))) {
				return;
			}
			notifyListeners(message, VerifiedCaller.identityOf(request), ToolErrorCode.INVALID_INPUT);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not report a malformed tool call (" + ex.getClass().getName() + ")");
		}
	}

	private void notifyListeners(JsonNode message, CallerIdentity caller, ToolErrorCode code) {
		JsonNode name = message.path("params").path("name");
		GovernedToolRegistry tools = this.registry.get();
		ToolPolicy policy = (name.isString() && tools != null) ? tools.find(name.asString()).orElse(null) : null;
		String toolName = (name.isString() && (policy != null || this.served.test(name.asString()))) ? name.asString()
				: UnknownToolName.of(name.isString() ? name.asString() : (name.isMissingNode() || name.isNull()) ? null : name);
		JsonNode arguments = message.path("params").path("arguments");
		Map<String, Object> values = arguments.isObject()
				? JSON.convertValue(arguments, new TypeReference<Map<String, Object>>() { }) : Map.of();
		ToolCallEvent event = new ToolCallEvent(UUID.randomUUID().toString(), Instant.now(), toolName, policy, caller,
				CallOutcome.of(code), code, null, false, 0, values);
		this.listeners.get().forEach((listener) -> notify(listener, event));
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

	/** The message the JSON-RPC filter left, or the body as read (now, if no filter read it before). */
	private JsonNode message(HttpServletRequest request) throws IOException {
		Object parsed = request.getAttribute(JsonRpcMessages.MESSAGE_ATTRIBUTE);
		if (parsed instanceof JsonNode node) {
			return node;
		}
		JsonNode node = JsonRpcBody.of(request, this.maxBytes).message();
		return (node != null && JsonRpcRequestFilter.check(node) == null) ? node : null;
	}

}
