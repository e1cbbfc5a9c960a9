package dev.mcpgovernance.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.CallerIdentityContextExtractor;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.identity.CredentialKind;
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

	private final Supplier<List<CredentialKind>> kinds;

	/**
	 * @param kinds the credentials the server accepts: asked in order for a credential in a request's
	 * {@code _meta} (STDIO), then for the process's caller
	 */
	public GovernedToolSpecifications(ObjectProvider<ToolCallGovernor> governor, ObjectProvider<CredentialKind> kinds) {
		// Resolved on first call: a post-processor must not pull the governor's dependencies in early.
		this.governor = SingletonSupplier.of(governor::getObject);
		this.kinds = SingletonSupplier.of(() -> kinds.orderedStream().toList());
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
	 * The transport's verified caller; failing that (STDIO), a credential in the request's
	 * {@code _meta}; failing that, the process's caller. {@code null} when there is none.
	 */
	private AuthenticationOutcome callerOf(McpTransportContext context, CallToolRequest request) {
		CallerIdentity caller = (context != null) ? CallerIdentityContextExtractor.callerOf(context) : null;
		if (caller != null) {
			return new AuthenticationOutcome.Authenticated(caller);
		}
		Map<String, Object> meta = (request.meta() != null) ? request.meta() : Map.of();
		for (CredentialKind kind : this.kinds.get()) {
			Object credential = (kind.metaKey() != null) ? meta.get(kind.metaKey()) : null;
			if (credential != null) {
				return (credential instanceof String text) ? kind.authenticate(text)
						: new AuthenticationOutcome.Rejected("The credential in _meta." + kind.metaKey() + " must be a string.");
			}
		}
		// A narrowed token this server cannot verify must not fall back to the process's broader caller.
		if (meta.containsKey(CapabilityAuthenticator.META_KEY)) {
			return new AuthenticationOutcome.Rejected("This server does not accept capability tokens.");
		}
		for (CredentialKind kind : this.kinds.get()) {
			Optional<CallerIdentity> processCaller = kind.processCaller();
			if (processCaller.isPresent()) {
				return new AuthenticationOutcome.Authenticated(processCaller.get());
			}
		}
		return null;
	}

	/** The handler never sees a credential: it has no use for it, and might log it. */
	private CallToolRequest withoutCredential(CallToolRequest request) {
		if (request.meta() == null) {
			return request;
		}
		Map<String, Object> meta = new LinkedHashMap<>(request.meta());
		meta.remove(CapabilityAuthenticator.META_KEY);
		this.kinds.get().stream().map(CredentialKind::metaKey).filter(Objects::nonNull).forEach(meta::remove);
		return (meta.size() == request.meta().size()) ? request
				: new CallToolRequest(request.name(), request.arguments(), meta);
	}

}
