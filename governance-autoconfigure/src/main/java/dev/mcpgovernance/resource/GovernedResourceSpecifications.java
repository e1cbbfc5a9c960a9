package dev.mcpgovernance.resource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.function.SingletonSupplier;

/**
 * Puts every resource, resource template, prompt and completion the MCP server will see under the
 * {@link ResourceGovernor}: it wraps each sync specification bean (and each list of them), which is
 * where Spring AI's {@code @McpResource} and {@code @McpPrompt} methods and hand-made specifications
 * all end up, stateful and stateless. The {@code governed} methods wrap a single specification, for
 * features added to a running server (a connector's, the gateway's upstream ones) after their policy
 * is {@link GovernedResourceRegistry#register registered}: the same path as the annotated ones.
 */
public class GovernedResourceSpecifications implements BeanPostProcessor {

	private final Supplier<ResourceGovernor> governor;

	private final Supplier<RequestCallers> callers;

	public GovernedResourceSpecifications(ObjectProvider<ResourceGovernor> governor,
			ObjectProvider<RequestCallers> callers) {
		// Resolved on first request: a post-processor must not pull the governor's dependencies in early.
		this.governor = SingletonSupplier.of(governor::getObject);
		this.callers = SingletonSupplier.of(callers::getObject);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof List<?> list && list.stream().anyMatch(GovernedResourceSpecifications::isSpecification)) {
			return list.stream().map((element) -> govern(element, beanName)).toList();
		}
		return govern(bean, beanName);
	}

	private Object govern(Object candidate, String beanName) {
		if (candidate instanceof McpServerFeatures.SyncResourceSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpServerFeatures.SyncResourceTemplateSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpServerFeatures.SyncPromptSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpStatelessServerFeatures.SyncResourceSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpStatelessServerFeatures.SyncResourceTemplateSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpStatelessServerFeatures.SyncPromptSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpServerFeatures.SyncCompletionSpecification spec) {
			return governed(spec);
		}
		if (candidate instanceof McpStatelessServerFeatures.SyncCompletionSpecification spec) {
			return governed(spec);
		}
		if (isAsync(candidate)) {
			throw new GovernanceConfigurationException("Bean '" + beanName
					+ "' holds asynchronous MCP resource or prompt specifications, which MCP Governance does not govern yet.",
					"Use the synchronous server: remove spring.ai.mcp.server.type=ASYNC.");
		}
		return candidate;
	}

	private static boolean isSpecification(Object candidate) {
		return candidate instanceof McpServerFeatures.SyncResourceSpecification
				|| candidate instanceof McpServerFeatures.SyncResourceTemplateSpecification
				|| candidate instanceof McpServerFeatures.SyncPromptSpecification
				|| candidate instanceof McpStatelessServerFeatures.SyncResourceSpecification
				|| candidate instanceof McpStatelessServerFeatures.SyncResourceTemplateSpecification
				|| candidate instanceof McpStatelessServerFeatures.SyncPromptSpecification
				|| candidate instanceof McpServerFeatures.SyncCompletionSpecification
				|| candidate instanceof McpStatelessServerFeatures.SyncCompletionSpecification || isAsync(candidate);
	}

	private static boolean isAsync(Object candidate) {
		return candidate instanceof McpServerFeatures.AsyncResourceSpecification
				|| candidate instanceof McpServerFeatures.AsyncResourceTemplateSpecification
				|| candidate instanceof McpServerFeatures.AsyncPromptSpecification
				|| candidate instanceof McpStatelessServerFeatures.AsyncResourceSpecification
				|| candidate instanceof McpStatelessServerFeatures.AsyncResourceTemplateSpecification
				|| candidate instanceof McpStatelessServerFeatures.AsyncPromptSpecification
				|| candidate instanceof McpServerFeatures.AsyncCompletionSpecification
				|| candidate instanceof McpStatelessServerFeatures.AsyncCompletionSpecification;
	}

	public McpServerFeatures.SyncResourceSpecification governed(McpServerFeatures.SyncResourceSpecification spec) {
		String key = spec.resource().uri();
		return new McpServerFeatures.SyncResourceSpecification(spec.resource(),
				(exchange, request) -> this.governor.get()
					.read(key, request.uri(), this.callers.get().callerOf(exchange.transportContext(), request.meta()),
							() -> spec.readHandler().apply(exchange, withoutCredential(request))));
	}

	public McpServerFeatures.SyncResourceTemplateSpecification governed(
			McpServerFeatures.SyncResourceTemplateSpecification spec) {
		String key = spec.resourceTemplate().uriTemplate();
		return new McpServerFeatures.SyncResourceTemplateSpecification(spec.resourceTemplate(),
				(exchange, request) -> this.governor.get()
					.read(key, request.uri(), this.callers.get().callerOf(exchange.transportContext(), request.meta()),
							() -> spec.readHandler().apply(exchange, withoutCredential(request))));
	}

	public McpServerFeatures.SyncPromptSpecification governed(McpServerFeatures.SyncPromptSpecification spec) {
		String name = spec.prompt().name();
		return new McpServerFeatures.SyncPromptSpecification(spec.prompt(),
				(exchange, request) -> this.governor.get()
					.get(name, request.arguments(),
							this.callers.get().callerOf(exchange.transportContext(), request.meta()),
							() -> spec.promptHandler().apply(exchange, withoutCredential(request))));
	}

	public McpStatelessServerFeatures.SyncResourceSpecification governed(
			McpStatelessServerFeatures.SyncResourceSpecification spec) {
		String key = spec.resource().uri();
		return new McpStatelessServerFeatures.SyncResourceSpecification(spec.resource(),
				(context, request) -> this.governor.get()
					.read(key, request.uri(), this.callers.get().callerOf(context, request.meta()),
							() -> spec.readHandler().apply(context, withoutCredential(request))));
	}

	public McpStatelessServerFeatures.SyncResourceTemplateSpecification governed(
			McpStatelessServerFeatures.SyncResourceTemplateSpecification spec) {
		String key = spec.resourceTemplate().uriTemplate();
		return new McpStatelessServerFeatures.SyncResourceTemplateSpecification(spec.resourceTemplate(),
				(context, request) -> this.governor.get()
					.read(key, request.uri(), this.callers.get().callerOf(context, request.meta()),
							() -> spec.readHandler().apply(context, withoutCredential(request))));
	}

	public McpStatelessServerFeatures.SyncPromptSpecification governed(
			McpStatelessServerFeatures.SyncPromptSpecification spec) {
		String name = spec.prompt().name();
		return new McpStatelessServerFeatures.SyncPromptSpecification(spec.prompt(),
				(context, request) -> this.governor.get()
					.get(name, request.arguments(), this.callers.get().callerOf(context, request.meta()),
							() -> spec.promptHandler().apply(context, withoutCredential(request))));
	}

	public McpServerFeatures.SyncCompletionSpecification governed(McpServerFeatures.SyncCompletionSpecification spec) {
		return new McpServerFeatures.SyncCompletionSpecification(spec.referenceKey(),
				(exchange, request) -> complete(request, exchange.transportContext(),
						() -> spec.completionHandler().apply(exchange, request)));
	}

	public McpStatelessServerFeatures.SyncCompletionSpecification governed(
			McpStatelessServerFeatures.SyncCompletionSpecification spec) {
		return new McpStatelessServerFeatures.SyncCompletionSpecification(spec.referenceKey(),
				(context, request) -> complete(request, context, () -> spec.completionHandler().apply(context, request)));
	}

	private CompleteResult complete(CompleteRequest request, McpTransportContext context,
			Supplier<CompleteResult> handler) {
		GovernedKind kind = (request.ref() instanceof PromptReference) ? GovernedKind.PROMPT : GovernedKind.RESOURCE;
		String named = (request.ref() instanceof PromptReference prompt) ? prompt.name() : request.ref().identifier();
		ResourceGovernor governor = this.governor.get();
		Map<String, Object> argument = new LinkedHashMap<>();
		if (request.argument() != null) {
			argument.put("name", request.argument().name());
			argument.put("value", request.argument().value());
		}
		// The same shape the decorators audit a refused completion with.
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("argument", argument);
		return governor.complete(kind, governor.registry().completedKey(kind, named), arguments,
				this.callers.get().callerOf(context, request.meta()), handler);
	}

	/** The handler never sees a capability token: it has no use for it, and might log it. */
	private static ReadResourceRequest withoutCredential(ReadResourceRequest request) {
		Map<String, Object> meta = withoutToken(request.meta());
		return (meta == request.meta()) ? request : new ReadResourceRequest(request.uri(), meta);
	}

	private static GetPromptRequest withoutCredential(GetPromptRequest request) {
		Map<String, Object> meta = withoutToken(request.meta());
		return (meta == request.meta()) ? request : new GetPromptRequest(request.name(), request.arguments(), meta);
	}

	private static Map<String, Object> withoutToken(Map<String, Object> meta) {
		if (meta == null || !meta.containsKey(CapabilityAuthenticator.META_KEY)) {
			return meta;
		}
		Map<String, Object> copy = new LinkedHashMap<>(meta);
		copy.remove(CapabilityAuthenticator.META_KEY);
		return copy;
	}

}
