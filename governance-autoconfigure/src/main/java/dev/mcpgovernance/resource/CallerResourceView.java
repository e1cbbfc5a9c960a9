package dev.mcpgovernance.resource;

import dev.mcpgovernance.identity.CallerIdentity;
import io.modelcontextprotocol.spec.McpSchema.ListPromptsResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourceTemplatesResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;

/**
 * What one caller is shown of the server's resources, resource templates and prompts: only those
 * it may read or get, nothing without a verified caller. The transports' decorators hand every list
 * answer through {@link #visible}, like the {@code tools/list} answer.
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
		if (result instanceof ListResourcesResult list) {
			return new ListResourcesResult(list.resources()
				.stream()
				.filter((Resource resource) -> permits(GovernedKind.RESOURCE, resource.uri(), caller))
				.toList(), list.nextCursor(), list.meta());
		}
		if (result instanceof ListResourceTemplatesResult list) {
			return new ListResourceTemplatesResult(list.resourceTemplates()
				.stream()
				.filter((ResourceTemplate template) -> permits(GovernedKind.RESOURCE, template.uriTemplate(), caller))
				.toList(), list.nextCursor(), list.meta());
		}
		if (result instanceof ListPromptsResult list) {
			return new ListPromptsResult(list.prompts()
				.stream()
				.filter((Prompt prompt) -> permits(GovernedKind.PROMPT, prompt.name(), caller))
				.toList(), list.nextCursor(), list.meta());
		}
		return result;
	}

	private boolean permits(GovernedKind kind, String key, CallerIdentity caller) {
		return caller != null && this.governor.permits(kind, key, caller);
	}

}
