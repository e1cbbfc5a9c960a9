package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.ProcessCallerSource;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.function.SingletonSupplier;

/**
 * Puts every tool the MCP server will see under the {@link ToolCallGovernor}: it wraps each sync
 * tool specification bean (and each list of them), which is where Spring AI's {@code @Tool}
 * callbacks, {@code @McpTool} methods and hand-made specifications all end up. Wrapping the
 * specifications rather than proxying beans means tools that are not beans are governed too.
 */
public class GovernedToolSpecifications implements BeanPostProcessor {

	private final Supplier<ToolCallGovernor> governor;

	private final Supplier<ProcessCallerSource> processCaller;

	public GovernedToolSpecifications(ObjectProvider<ToolCallGovernor> governor,
			ObjectProvider<ProcessCallerSource> processCaller) {
		// Resolved on first call: a post-processor must not pull the governor's dependencies in early.
		this.governor = SingletonSupplier.of(governor::getObject);
		this.processCaller = SingletonSupplier.of(() -> processCaller.getIfAvailable(() -> Optional::empty));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof List<?> list && list.stream().anyMatch(GovernedToolSpecifications::isToolSpecification)) {
			return list.stream().map((element) -> govern(element, beanName)).toList();
		}
		return govern(bean, beanName);
	}

	private Object govern(Object candidate, String beanName) {
		if (candidate instanceof McpServerFeatures.SyncToolSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpStatelessServerFeatures.SyncToolSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpServerFeatures.AsyncToolSpecification
				|| candidate instanceof McpStatelessServerFeatures.AsyncToolSpecification) {
			throw new GovernanceConfigurationException(
					"Bean '" + beanName + "' holds asynchronous MCP tool specifications, which MCP Governance does not govern yet.",
					"Use the synchronous server: remove spring.ai.mcp.server.type=ASYNC.");
		}
		return candidate;
	}

	private static boolean isToolSpecification(Object candidate) {
		return candidate instanceof McpServerFeatures.SyncToolSpecification
				|| candidate instanceof McpStatelessServerFeatures.SyncToolSpecification
				|| candidate instanceof McpServerFeatures.AsyncToolSpecification
				|| candidate instanceof McpStatelessServerFeatures.AsyncToolSpecification;
	}

	/** Wraps one specification; also usable for tools added to a running server. */
	public McpServerFeatures.SyncToolSpecification governed(McpServerFeatures.SyncToolSpecification spec) {
		return new McpServerFeatures.SyncToolSpecification(spec.tool(), null,
				(exchange, request) -> this.governor.get()
					.call(spec.tool(), request.arguments(), callerOf(exchange.transportContext()),
							() -> spec.callHandler().apply(exchange, request)));
	}

	/** Wraps one stateless specification; also usable for tools added to a running server. */
	public McpStatelessServerFeatures.SyncToolSpecification governed(
			McpStatelessServerFeatures.SyncToolSpecification spec) {
		return new McpStatelessServerFeatures.SyncToolSpecification(spec.tool(),
				(context, request) -> this.governor.get()
					.call(spec.tool(), request.arguments(), callerOf(context),
							() -> spec.callHandler().apply(context, request)));
	}

	private CallerIdentity callerOf(McpTransportContext context) {
		CallerIdentity caller = (context != null) ? CallerIdentityContextExtractor.callerOf(context) : null;
		return (caller != null) ? caller : this.processCaller.get().caller().orElse(null);
	}

}
