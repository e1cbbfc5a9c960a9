package dev.mcpgovernance.resource;

import java.util.List;
import java.util.function.BiPredicate;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.ExecutionHooks;
import io.modelcontextprotocol.spec.McpSchema.ListPromptsResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourceTemplatesResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;

/**
 * What one caller is shown of the server's resources, resource templates and prompts: only those
 * it may read or get, as the execution hooks' list methods leave them; nothing without a verified
 * caller. The transports' decorators hand every list answer through {@link #visible}, like the
 * {@code tools/list} answer.
 */
public class CallerResourceView {

	private final ResourceGovernor governor;

	public CallerResourceView(ResourceGovernor governor) {
		this.governor = governor;
	}

	/** Whether {@link #visible} cuts this result down. */
	public boolean lists(Object result) {
		return result instanceof ListResourcesResult || result instanceof ListResourceTemplatesResult
				|| result instanceof ListPromptsResult;
	}

	/** The list answer as {@code caller} may see it; any other result as it is. */
	public Object visible(Object result, CallerIdentity caller) {
		if (caller == null) {
			return visible(result, (kind, key) -> false, new ExecutionHooks(List.of()), null);
		}
		return visible(result, (kind, key) -> this.governor.permits(kind, key, caller), this.governor.hooks(), caller);
	}

	private static Object visible(Object result, BiPredicate<GovernedKind, String> permits,
			ExecutionHooks hooks, CallerIdentity caller) {
		if (result instanceof ListResourcesResult list) {
			List<Resource> permitted = list.resources()
				.stream()
				.filter((resource) -> permits.test(GovernedKind.RESOURCE, resource.uri()))
				.toList();
			return new ListResourcesResult(hooks.afterList(permitted,
					(hook, items) -> hook.afterListResources(caller, items), Resource::uri, "afterListResources"),
					list.nextCursor(), list.meta());
		}
		if (result instanceof ListResourceTemplatesResult list) {
			List<ResourceTemplate> permitted = list.resourceTemplates()
				.stream()
				.filter((template) -> permits.test(GovernedKind.RESOURCE, template.uriTemplate()))
				.toList();
			return new ListResourceTemplatesResult(hooks.afterList(permitted,
					(hook, items) -> hook.afterListResourceTemplates(caller, items), ResourceTemplate::uriTemplate,
					"afterListResourceTemplates"), list.nextCursor(), list.meta());
		}
		if (result instanceof ListPromptsResult list) {
			List<Prompt> permitted = list.prompts()
				.stream()
				.filter((prompt) -> permits.test(GovernedKind.PROMPT, prompt.name()))
				.toList();
			return new ListPromptsResult(hooks.afterList(permitted,
					(hook, items) -> hook.afterListPrompts(caller, items), Prompt::name, "afterListPrompts"),
					list.nextCursor(), list.meta());
		}
		return result;
	}

}
