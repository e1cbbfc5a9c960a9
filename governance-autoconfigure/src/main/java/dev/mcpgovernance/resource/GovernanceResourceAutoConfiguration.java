package dev.mcpgovernance.resource;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolCallListener;
import dev.mcpgovernance.tool.ToolCallObserver;
import dev.mcpgovernance.tool.ToolErrorClassifier;
import dev.mcpgovernance.tool.ToolExecutionHook;
import io.modelcontextprotocol.server.McpServerFeatures;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Governs every resource, resource template, prompt and completion the MCP server offers, on the
 * tools' path: finds {@link GovernedResource} and {@link GovernedPrompt} methods, wraps the
 * specifications the server receives, and gives the transports' decorators the per-caller lists
 * and the subscription and completion checks.
 */
@AutoConfiguration(after = GovernanceToolAutoConfiguration.class)
@ConditionalOnClass(McpServerFeatures.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ GovernanceProperties.class, GovernanceResourceProperties.class })
public class GovernanceResourceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public static GovernedResourceRegistrar governedResourceRegistrar() {
		return new GovernedResourceRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	public static GovernedResourceSpecifications governedResourceSpecifications(
			ObjectProvider<ResourceGovernor> governor, ObjectProvider<RequestCallers> callers) {
		return new GovernedResourceSpecifications(governor, callers);
	}

	@Bean
	@ConditionalOnMissingBean
	public GovernedResourceRegistry governedResourceRegistry(GovernedResourceRegistrar registrar,
			GovernanceProperties properties, GovernanceResourceProperties resources) {
		return new GovernedResourceRegistry(registrar, properties.getDomain(), resources.getUris(),
				resources.getPrompts());
	}

	@Bean
	@ConditionalOnMissingBean
	public RequestCallers requestCallers(ObjectProvider<ProcessCallerSource> processCaller,
			ObjectProvider<CapabilityAuthenticator> capabilities) {
		return new RequestCallers(processCaller, capabilities);
	}

	@Bean
	@ConditionalOnMissingBean
	public ResourceGovernor resourceGovernor(GovernedResourceRegistry registry, ToolErrorClassifier classifier,
			GovernanceProperties properties, ObjectProvider<Redactor> redactor, ObjectProvider<ToolCallLimiter> limiter,
			ObjectProvider<ToolCallListener> listeners, ObjectProvider<ToolCallObserver> observer,
			ObjectProvider<ToolExecutionHook> hooks) {
		return new ResourceGovernor(registry, classifier, properties.getExposure(),
				limiter.getIfAvailable(() -> ToolCallLimiter.NONE), redactor.getIfAvailable(),
				listeners.orderedStream().toList(), observer.getIfAvailable(() -> ToolCallObserver.NONE),
				hooks.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	public CallerResourceView callerResourceView(ResourceGovernor governor) {
		return new CallerResourceView(governor);
	}

	@Bean
	@ConditionalOnMissingBean
	public ResourceStepUp resourceStepUp(ResourceGovernor governor) {
		return new ResourceStepUp(governor);
	}

	@Bean
	@ConditionalOnMissingBean
	public ResourceRequestGate resourceRequestGate(ResourceGovernor governor, RequestCallers callers) {
		return new ResourceRequestGate(governor, callers);
	}

}
