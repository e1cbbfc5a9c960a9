package dev.mcpgovernance.tool;

import java.util.List;
import java.util.function.Supplier;

import io.modelcontextprotocol.server.McpServer;

import org.springframework.ai.mcp.customizer.McpSyncServerCustomizer;

/**
 * The one {@link McpSyncServerCustomizer} Spring AI's stateful server takes: it applies every other
 * customizer in the context (Spring AI's own, the application's) in their order, then turns off the
 * MCP SDK's check of tool arguments against the input schema. The SDK runs that check before the
 * tool's handler, so it would answer a call before governance sees it: before the caller's scope is
 * checked, without the error envelope and without an audit record. {@link ToolCallGovernor} checks
 * the arguments itself, after the scope check.
 */
class GovernedSyncServerCustomizer implements McpSyncServerCustomizer {

	private final Supplier<List<McpSyncServerCustomizer>> others;

	/**
	 * @param customizers every customizer in the context, this one included (it is skipped)
	 */
	public GovernedSyncServerCustomizer(Supplier<List<McpSyncServerCustomizer>> customizers) {
		this.others = customizers;
	}

	@Override
	public void customize(McpServer.SyncSpecification<?> serverBuilder) {
		for (McpSyncServerCustomizer customizer : this.others.get()) {
			if (customizer != this) {
				customizer.customize(serverBuilder);
			}
		}
		serverBuilder.validateToolInputs(false);
	}

}
