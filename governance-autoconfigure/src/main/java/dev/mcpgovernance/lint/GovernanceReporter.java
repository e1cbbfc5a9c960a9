package dev.mcpgovernance.lint;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mcpgovernance.Exposure;
import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.GovernanceReportContributor;
import dev.mcpgovernance.GovernanceReportContributor.ReportedTool;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.lint.GovernanceReport.ToolEntry;
import dev.mcpgovernance.security.McpEndpoints;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.SelfGovernedTools;
import dev.mcpgovernance.tool.ToolPolicy;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link GovernanceReport} from the running application: the tools the MCP server
 * exposes (with their MCP hints), their governance policies, the transport, the credentials and
 * the stores in use, and what among them deserves a warning. Each concern adds its own stores and
 * tool cells through a {@link GovernanceReportContributor}.
 */
public class GovernanceReporter {

	private static final String STDIO_PROPERTY = "spring.ai.mcp.server.stdio";

	// The report's format names these concerns' stores; one that is switched off has no contributor to say so.
	/** What the stores line says of a concern that is switched off (and so contributes nothing), in the line's order. */
	private static final Map<String, String> STORES_WHEN_OFF = storesWhenOff();

	private final Environment environment;

	private final GovernedToolRegistry registry;

	private final GovernanceProperties governance;

	private final GovernanceLintProperties lint;

	private final Collaborators collaborators;

	private final ResourceFindings resources;

	/**
	 * @param resources the findings about resources and prompts; {@code null} when they are not governed
	 */
	public GovernanceReporter(Environment environment, GovernedToolRegistry registry, GovernanceProperties governance,
			GovernanceLintProperties lint, Collaborators collaborators, ResourceFindings resources) {
		this.resources = resources;
		this.environment = environment;
		this.registry = registry;
		this.governance = governance;
		this.lint = lint;
		this.collaborators = collaborators;
	}

	/**
	 * The optional beans the report reads; each may be missing.
	 *
	 * @param syncServer the stateful MCP server
	 * @param statelessServer the stateless MCP server
	 * @param credentialKinds the credentials the server accepts
	 * @param contributors each concern's part of the report
	 * @param selfGoverned tools the starter adds whose calls it governs without a policy (meta-tools)
	 * @param otherPaths who secures the application's other paths; {@code null} without a web server
	 */
	public record Collaborators(ObjectProvider<McpSyncServer> syncServer,
			ObjectProvider<McpStatelessSyncServer> statelessServer,
			ObjectProvider<CredentialKind> credentialKinds, ObjectProvider<GovernanceReportContributor> contributors,
			ObjectProvider<SelfGovernedTools> selfGoverned, Supplier<String> otherPaths) {
	}

	public GovernanceReport report() {
		boolean stdio = this.environment.getProperty(STDIO_PROPERTY, Boolean.class, false);
		List<Finding> findings = new ArrayList<>();
		List<ToolEntry> tools = new ArrayList<>();
		for (Tool tool : exposedTools()) {
			ToolPolicy policy = this.registry.find(tool.name()).orElse(null);
			Optional<String> selfGoverned = (policy != null) ? Optional.empty() : selfGoverned(tool.name());
			if (selfGoverned.isPresent()) {
				tools.add(new ToolEntry(tool.name(), selfGoverned.get(), destructiveByHint(tool), "none", "off", false));
				continue;
			}
			ToolEntry entry = entry(tool, policy);
			tools.add(entry);
			toolFinding(tool, policy, entry).ifPresent(findings::add);
		}
		if (this.resources != null) {
			findings.addAll(this.resources.findings());
		}
		List<CredentialKind> kinds = this.collaborators.credentialKinds().orderedStream().toList();
		if (stdio) {
			stdioFinding(kinds).ifPresent(findings::add);
		}
		else {
			remoteBindFinding(kinds).ifPresent(findings::add);
		}
		return new GovernanceReport(transport(stdio), stdio ? List.of() : McpEndpoints.from(this.environment).mcpPaths(),
				kinds.stream().map(CredentialKind::name).toList(), stores(), this.governance.getExposure().name().toLowerCase(Locale.ROOT).replace('_', '-'),
				tools, this.registry.requiredScopes(), findings, stdio ? null : this.collaborators.otherPaths().get());
	}

	/** What the MCP server lists; the governed tools alone when no server is running (lint of a bare context). */
	private List<Tool> exposedTools() {
		List<Tool> tools = new ArrayList<>();
		this.collaborators.syncServer().ifAvailable((server) -> tools.addAll(server.listTools()));
		this.collaborators.statelessServer().ifAvailable((server) -> tools.addAll(server.listTools()));
		if (tools.isEmpty()) {
			this.registry.policies()
				.forEach((policy) -> tools.add(Tool.builder().name(policy.toolName()).build()));
		}
		tools.sort(Comparator.comparing(Tool::name));
		return tools;
	}

	/** How the starter governs a tool it added itself without a policy, if it did. */
	private Optional<String> selfGoverned(String toolName) {
		return this.collaborators.selfGoverned()
			.orderedStream()
			.map((tools) -> tools.governance(toolName))
			.flatMap(Optional::stream)
			.findFirst();
	}

	private ToolEntry entry(Tool tool, ToolPolicy policy) {
		ReportedTool reported = (policy != null)
				? new ReportedTool(tool.name(), policy.requiredScope().toString(), policy.rateLimit(),
						policy.globalRateLimit(), policy.redactKeys())
				: new ReportedTool(tool.name(), null, "", "", List.of());
		return new ToolEntry(tool.name(), reported.scope(),
				destructiveByHint(tool) || (policy != null && !isReadAction(policy)),
				firstCell((contributor) -> contributor.rateLimit(reported), "none"),
				firstCell((contributor) -> contributor.redaction(reported), "off"), policy != null && policy.audit());
	}

	/** The first contributor's cell, in their order; {@code otherwise} when none has one. */
	private String firstCell(Function<GovernanceReportContributor, Optional<String>> cell, String otherwise) {
		return this.collaborators.contributors()
			.orderedStream()
			.map(cell)
			.flatMap(Optional::stream)
			.findFirst()
			.orElse(otherwise);
	}

	/** MCP's defaults: a tool is destructive unless marked read-only or non-destructive. */
	private static boolean destructiveByHint(Tool tool) {
		ToolAnnotations hints = tool.annotations();
		return hints != null && !Boolean.TRUE.equals(hints.readOnlyHint()) && !Boolean.FALSE.equals(hints.destructiveHint());
	}

	private boolean isReadAction(ToolPolicy policy) {
		return this.lint.getReadActions().contains(policy.requiredScope().action());
	}

	private Optional<Finding> toolFinding(Tool tool, ToolPolicy policy, ToolEntry entry) {
		if (policy == null) {
			String consequence = (this.governance.getExposure() == Exposure.ALLOW_UNGOVERNED)
					? "any authenticated caller may run it (mcp.governance.exposure=allow-ungoverned)"
					: "every caller is refused";
			return Optional.of(new Finding(Finding.Kind.UNGOVERNED_TOOL, tool.name(),
					"has no @GovernedTool, so no scope: " + consequence + ". Govern it with a scope, or remove it."));
		}
		String action = policy.requiredScope().action();
		if (!entry.destructive() || this.lint.getWriteActions().contains(action)) {
			return Optional.empty();
		}
		String why = isReadAction(policy)
				? "is destructive by its MCP hints (destructiveHint, the default of @McpTool) but requires only "
						+ policy.requiredScope()
						+ ". Mark it read-only (@McpTool(annotations = @McpAnnotations(readOnlyHint = true))) or require a write action."
				: "requires " + policy.requiredScope() + ", whose action '" + action
						+ "' is neither a read nor a write action. Use one of " + this.lint.getWriteActions()
						+ ", or add it to mcp.governance.lint.write-actions or read-actions.";
		return Optional.of(new Finding(Finding.Kind.DESTRUCTIVE_WITHOUT_WRITE_ACTION, tool.name(), why));
	}

	private Map<String, String> stores() {
		Map<String, String> stores = new LinkedHashMap<>(STORES_WHEN_OFF);
		this.collaborators.contributors().orderedStream().forEach((contributor) -> stores.putAll(contributor.stores()));
		return stores;
	}

	private static Map<String, String> storesWhenOff() {
		Map<String, String> off = new LinkedHashMap<>();
		off.put("api-keys", "off");
		off.put("rate-limit", "off");
		off.put("audit", "off");
		return Collections.unmodifiableMap(off);
	}

	private String transport(boolean stdio) {
		if (stdio) {
			return "stdio";
		}
		return this.environment.getProperty("spring.ai.mcp.server.protocol", "SSE").toLowerCase(Locale.ROOT);
	}

	private Optional<Finding> stdioFinding(List<CredentialKind> kinds) {
		if (kinds.stream().anyMatch((kind) -> kind.processCaller().isPresent())) {
			return Optional.empty();
		}
		return Optional.of(new Finding(Finding.Kind.STDIO_WITHOUT_IDENTITY, null,
				"the STDIO server has no verified caller, so every governed tool refuses its calls. Set the API key "
						+ "in the environment variable named by mcp.governance.stdio.api-key-variable "
						+ "(MCP_GOVERNANCE_API_KEY) and configure mcp.governance.api-keys.pepper."));
	}

	private Optional<Finding> remoteBindFinding(List<CredentialKind> kinds) {
		InetAddress address = Binder.get(this.environment).bind("server.address", InetAddress.class).orElse(null);
		if (kinds.stream().anyMatch(CredentialKind::verifiesRemoteCallers)) {
			return Optional.empty();
		}
		if (address != null && address.isLoopbackAddress()) {
			return Optional.of(new Finding(Finding.Kind.NO_AUTHENTICATION, null, "no credential is accepted, so every "
					+ "MCP request is refused with 401. Configure API keys (mcp.governance.api-keys.pepper and keys), "
					+ "OAuth (mcp.governance.oauth.issuers) or capability keys (mcp.governance.capability.public-keys)."));
		}
		String where = (address != null) ? address.getHostAddress() : "every network interface";
		return Optional.of(new Finding(Finding.Kind.REMOTE_BIND_WITHOUT_AUTH, null, "the server listens on " + where
				+ " with no authentication configured. Configure API keys (mcp.governance.api-keys.pepper), OAuth "
				+ "(mcp.governance.oauth.issuers) or capability keys (mcp.governance.capability.public-keys), or bind to "
				+ "loopback with server.address=127.0.0.1."));
	}

}
