package dev.mcpgovernance.resource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;

/**
 * What the HTTP step-up needs of a resource or prompt request before dispatch: the scope a
 * {@code resources/read}, {@code resources/subscribe}, {@code prompts/get} or
 * {@code completion/complete} of a governed resource or prompt requires when the caller lacks it.
 * The refusal is audited here, under the name the request would have been audited with.
 */
public class ResourceStepUp {

	private static final Set<String> METHODS = Set.of(McpSchema.METHOD_RESOURCES_READ,
			McpSchema.METHOD_RESOURCES_SUBSCRIBE, McpSchema.METHOD_PROMPT_GET, McpSchema.METHOD_COMPLETION_COMPLETE);

	private final ResourceGovernor governor;

	public ResourceStepUp(ResourceGovernor governor) {
		this.governor = governor;
	}

	/** Whether {@link #required} decides requests of this method. */
	public boolean governs(String method) {
		return METHODS.contains(method);
	}

	/**
	 * The scope the request requires and the caller lacks, after auditing the refusal; {@code null}
	 * when the caller holds it or the request names no governed resource or prompt (the server
	 * decides those).
	 */
	public Required required(JsonNode message, CallerIdentity caller) {
		String method = message.path("method").asString("");
		JsonNode params = message.path("params");
		GovernedKind kind = GovernedKind.RESOURCE;
		String key;
		Map<String, Object> arguments = new LinkedHashMap<>();
		switch (method) {
			case McpSchema.METHOD_PROMPT_GET -> {
				kind = GovernedKind.PROMPT;
				key = params.path("name").asString(null);
			}
			case McpSchema.METHOD_COMPLETION_COMPLETE -> {
				JsonNode ref = params.path("ref");
				boolean prompt = McpSchema.PromptReference.TYPE.equals(ref.path("type").asString(""));
				kind = prompt ? GovernedKind.PROMPT : GovernedKind.RESOURCE;
				key = prompt ? ref.path("name").asString(null) : templateOf(ref.path("uri").asString(null));
				Map<String, Object> argument = new LinkedHashMap<>();
				argument.put("name", params.path("argument").path("name").asString(""));
				argument.put("value", params.path("argument").path("value").asString(""));
				arguments.put("argument", argument);
			}
			default -> {
				String uri = params.path("uri").asString(null);
				key = this.governor.registry().resourceKeyFor(uri).orElse(null);
				if (key != null) {
					arguments.putAll(this.governor.registry().variables(key, uri));
				}
			}
		}
		ToolPolicy policy = (key != null) ? this.governor.registry().find(kind, key).orElse(null) : null;
		if (policy == null || caller.holds(policy.requiredScope())) {
			return null;
		}
		String label = ((kind == GovernedKind.RESOURCE) ? "Resource '" : "Prompt '") + key + "'";
		ToolError refusal = new ToolError(ToolErrorCode.FORBIDDEN, label + " requires scope " + policy.requiredScope()
				+ ", which the caller does not hold.", Map.of("required_scope", policy.requiredScope().toString()));
		String name = method.equals(McpSchema.METHOD_RESOURCES_READ) || method.equals(McpSchema.METHOD_PROMPT_GET)
				? policy.toolName() : method + " " + key;
		this.governor.report(name, kind, key, caller, refusal, arguments);
		return new Required(policy.requiredScope(), label);
	}

	/** A completion's resource reference names a template, or a URI a governed template matches. */
	private String templateOf(String uri) {
		if (uri == null || this.governor.registry().find(GovernedKind.RESOURCE, uri).isPresent()) {
			return uri;
		}
		return this.governor.registry().resourceKeyFor(uri).orElse(null);
	}

	/** The scope a request requires, and what the challenge calls the resource or prompt. */
	public record Required(Scope scope, String label) {
	}

}
