package dev.mcpgovernance.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import dev.mcpgovernance.resource.GovernedKind;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.Exposure;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The findings about the resources, resource templates and prompts the running server offers: one
 * for each that carries neither {@code @GovernedResource}/{@code @GovernedPrompt} nor a configured
 * scope, as for an ungoverned tool.
 */
public class ResourceFindings {

	private final GovernedResourceRegistry registry;

	private final Exposure exposure;

	private final ObjectProvider<McpSyncServer> syncServer;

	private final ObjectProvider<McpStatelessSyncServer> statelessServer;

	public ResourceFindings(GovernedResourceRegistry registry, Exposure exposure,
			ObjectProvider<McpSyncServer> syncServer, ObjectProvider<McpStatelessSyncServer> statelessServer) {
		this.registry = registry;
		this.exposure = exposure;
		this.syncServer = syncServer;
		this.statelessServer = statelessServer;
	}

	public List<Finding> findings() {
		TreeSet<String> resources = new TreeSet<>();
		TreeSet<String> prompts = new TreeSet<>();
		this.syncServer.ifAvailable((server) -> {
			server.listResources().stream().map(Resource::uri).forEach(resources::add);
			server.listResourceTemplates().stream().map(ResourceTemplate::uriTemplate).forEach(resources::add);
			server.listPrompts().stream().map(Prompt::name).forEach(prompts::add);
		});
		this.statelessServer.ifAvailable((server) -> {
			server.listResources().stream().map(Resource::uri).forEach(resources::add);
			server.listResourceTemplates().stream().map(ResourceTemplate::uriTemplate).forEach(resources::add);
			server.listPrompts().stream().map(Prompt::name).forEach(prompts::add);
		});
		String consequence = (this.exposure == Exposure.ALLOW_UNGOVERNED)
				? "any authenticated caller may read it (mcp.governance.exposure=allow-ungoverned)"
				: "every caller is refused";
		List<Finding> findings = new ArrayList<>();
		resources.stream()
			.filter((key) -> this.registry.find(GovernedKind.RESOURCE, key).isEmpty())
			.forEach((key) -> findings.add(new Finding(Finding.Kind.UNGOVERNED_RESOURCE, key,
					"has no @GovernedResource and no mcp.governance.resources.uris entry, so no scope: " + consequence
							+ ". Govern it with a scope, or remove it.")));
		prompts.stream()
			.filter((name) -> this.registry.find(GovernedKind.PROMPT, name).isEmpty())
			.forEach((name) -> findings.add(new Finding(Finding.Kind.UNGOVERNED_PROMPT, name,
					"has no @GovernedPrompt and no mcp.governance.resources.prompts entry, so no scope: " + consequence
							+ ". Govern it with a scope, or remove it.")));
		return findings;
	}

}
