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
import dev.mcpgovernance.identity.RequestCredentialAuthenticator;
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

	private final Supplier<Optional<RequestCredentialAuthenticator>> requestCredentials;

	public GovernedToolSpecifications(ObjectProvider<ToolCallGovernor> governor,
			ObjectProvider<ProcessCallerSource> processCaller) {
		this(governor, processCaller, null);
	}

	/**
	 * @param requestCredentials what verifies a credential in a request's {@code _meta} (a capability
	 * token on STDIO); {@code null} or empty when there is none
	 */
	public GovernedToolSpecifications(ObjectProvider<ToolCallGovernor> governor,
			ObjectProvider<ProcessCallerSource> processCaller,
			ObjectProvider<RequestCredentialAuthenticator> requestCredentials) {
		// Resolved on first call: a post-processor must not pull the governor's dependencies in early.
		this.governor = SingletonSupplier.of(governor::getObject);
		this.processCaller = SingletonSupplier.of(() -> processCaller.getIfAvailable(() -> Optional::empty));
		this.requestCredentials = SingletonSupplier
			.of(() -> Optional.ofNullable((requestCredentials != null) ? requestCredentials.getIfAvailable() : null));
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
		return new McpServerFeatures.SyncToolSpecification(spec.tool(), null, (exchange, request) -> {
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
	 * The transport's verified caller; failing that, a credential in the request's {@code _meta};
	 * failing that, the process's caller (STDIO). {@code null} when there is none.
	 */
	private AuthenticationOutcome callerOf(McpTransportContext context, CallToolRequest request) {
		CallerIdentity caller = (context != null) ? CallerIdentityContextExtractor.callerOf(context) : null;
		if (caller != null) {
			return new AuthenticationOutcome.Authenticated(caller);
		}
		Optional<RequestCredentialAuthenticator> requestCredentials = this.requestCredentials.get();
		if (requestCredentials.isPresent() && request.meta() != null) {
			Object credential = request.meta().get(requestCredentials.get().metaKey());
			if (credential != null) {
				return requestCredentials.get().authenticate(credential);
			}
		}
		return this.processCaller.get().caller().map(AuthenticationOutcome.Authenticated::new).orElse(null);
	}

	/** The handler never sees the credential: it has no use for it, and might log it. */
	private CallToolRequest withoutCredential(CallToolRequest request) {
		Optional<RequestCredentialAuthenticator> requestCredentials = this.requestCredentials.get();
		if (requestCredentials.isEmpty() || request.meta() == null
				|| !request.meta().containsKey(requestCredentials.get().metaKey())) {
			return request;
		}
		Map<String, Object> meta = new LinkedHashMap<>(request.meta());
		meta.remove(requestCredentials.get().metaKey());
		return new CallToolRequest(request.name(), request.arguments(), meta);
	}

}
