package dev.mcpgovernance.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.identity.CapabilityAuthenticator;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;

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

	private final Supplier<Optional<CapabilityAuthenticator>> capabilities;

	public GovernedToolSpecifications(ObjectProvider<ToolCallGovernor> governor,
			ObjectProvider<ProcessCallerSource> processCaller) {
		this(governor, processCaller, null);
	}

	/**
	 * @param capabilities what verifies a capability token in a request's {@code _meta} (STDIO);
	 * empty when capability tokens are not accepted
	 */
	public GovernedToolSpecifications(ObjectProvider<ToolCallGovernor> governor,
			ObjectProvider<ProcessCallerSource> processCaller,
			ObjectProvider<CapabilityAuthenticator> capabilities) {
		// Resolved on first call: a post-processor must not pull the governor's dependencies in early.
		this.governor = SingletonSupplier.of(governor::getObject);
		this.processCaller = SingletonSupplier.of(() -> processCaller.getIfAvailable(() -> Optional::empty));
		this.capabilities = SingletonSupplier
			.of(() -> Optional.ofNullable((capabilities != null) ? capabilities.getIfAvailable() : null));
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
		return new McpServerFeatures.SyncToolSpecification(spec.tool(), (exchange, request) -> {
			AuthenticationOutcome caller = callerOf(exchange.transportContext(), request);
			return this.governor.get()
				.govern(spec.tool(), request.arguments(), caller,
						() -> spec.callHandler().apply(exchange, withoutCredential(request)));
		});
	}

	/** Wraps one stateless specification; also usable for tools added to a running server. */
	public McpStatelessServerFeatures.SyncToolSpecification governed(
			McpStatelessServerFeatures.SyncToolSpecification spec) {
		return new McpStatelessServerFeatures.SyncToolSpecification(spec.tool(), (context, request) -> {
			AuthenticationOutcome caller = callerOf(context, request);
			return this.governor.get()
				.govern(spec.tool(), request.arguments(), caller,
						() -> spec.callHandler().apply(context, withoutCredential(request)));
		});
	}

	/**
	 * The transport's verified caller; failing that (STDIO), a capability token in the request's
	 * {@code _meta}; failing that, the process's caller. {@code null} when there is none.
	 */
	private AuthenticationOutcome callerOf(McpTransportContext context, CallToolRequest request) {
		CallerIdentity caller = (context != null) ? CallerIdentityContextExtractor.callerOf(context) : null;
		if (caller != null) {
			return new AuthenticationOutcome.Authenticated(caller);
		}
		Object token = (request.meta() != null) ? request.meta().get(CapabilityAuthenticator.META_KEY) : null;
		if (token != null) {
			Optional<CapabilityAuthenticator> capabilities = this.capabilities.get();
			if (capabilities.isEmpty()) {
				return new AuthenticationOutcome.Rejected("This server does not accept capability tokens.");
			}
			return (token instanceof String text) ? capabilities.get().authenticate(text)
					: new AuthenticationOutcome.Rejected("The capability token must be a string.");
		}
		return this.processCaller.get().caller().map(AuthenticationOutcome.Authenticated::new).orElse(null);
	}

	/** The handler never sees the token: it has no use for it, and might log it. */
	private static CallToolRequest withoutCredential(CallToolRequest request) {
		if (request.meta() == null || !request.meta().containsKey(CapabilityAuthenticator.META_KEY)) {
			return request;
		}
		Map<String, Object> meta = new LinkedHashMap<>(request.meta());
		meta.remove(CapabilityAuthenticator.META_KEY);
		return new CallToolRequest(request.name(), request.arguments(), meta);
	}

}
