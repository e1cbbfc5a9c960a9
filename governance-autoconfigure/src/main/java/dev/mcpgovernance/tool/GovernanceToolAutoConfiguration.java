package dev.mcpgovernance.tool;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.redaction.Redactor;
import io.modelcontextprotocol.server.McpServerFeatures;

import org.springframework.ai.mcp.customizer.McpSyncServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Governs every MCP tool: finds {@link GovernedTool} methods, wraps the tool specifications the MCP
 * server receives, and adds the aspect on governed methods.
 */
@AutoConfiguration
@ConditionalOnClass(McpServerFeatures.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ GovernanceProperties.class, GovernanceToolProperties.class })
public class GovernanceToolAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public static GovernedToolRegistrar governedToolRegistrar() {
		return new GovernedToolRegistrar();
	}

	@Bean
	@ConditionalOnMissingBean
	public static GovernedToolSpecifications governedToolSpecifications(ObjectProvider<ToolCallGovernor> governor,
			ObjectProvider<CredentialKind> credentialKinds) {
		return new GovernedToolSpecifications(governor, credentialKinds);
	}

	@Bean
	@ConditionalOnMissingBean
	public GovernedToolRegistry governedToolRegistry(GovernedToolRegistrar registrar, GovernanceProperties properties) {
		return new GovernedToolRegistry(registrar, properties.getDomain());
	}

	@Bean
	@ConditionalOnMissingBean
	public ToolErrorClassifier toolErrorClassifier() {
		return new ToolErrorClassifier();
	}

	@Bean
	@ConditionalOnMissingBean
	public ToolCallGovernor toolCallGovernor(GovernedToolRegistry registry, ToolErrorClassifier classifier,
			GovernanceProperties properties, ObjectProvider<Redactor> redactor, ObjectProvider<ToolCallLimiter> limiter,
			ObjectProvider<ToolCallListener> listeners, ObjectProvider<ToolCallObserver> observer,
			ObjectProvider<ToolExecutionHook> hooks) {
		return new ToolCallGovernor(registry, classifier, properties.getExposure(),
				limiter.getIfAvailable(() -> ToolCallLimiter.NONE), redactor.getIfAvailable(),
				listeners.orderedStream().toList(), observer.getIfAvailable(() -> ToolCallObserver.NONE),
				hooks.orderedStream().toList());
	}

	/**
	 * Primary, so that Spring AI's server (which takes a single customizer) gets this one; it applies
	 * the others itself.
	 */
	@Bean
	@Primary
	@ConditionalOnMissingBean
	public GovernedSyncServerCustomizer governedSyncServerCustomizer(ObjectProvider<McpSyncServerCustomizer> customizers) {
		return new GovernedSyncServerCustomizer(() -> customizers.orderedStream().toList());
	}

	/** Static: a post-processor of the stateless server, created before other beans. */
	@Bean
	@ConditionalOnMissingBean
	static StatelessInputValidationSwitch statelessInputValidationSwitch() {
		return new StatelessInputValidationSwitch();
	}

	/**
	 * The fence around every {@code @GovernedTool} method, with or without AspectJ on the class path
	 * (Boot's auto-proxy creator without it applies infrastructure advisors only). Static and
	 * infrastructure, with its collaborators looked up lazily: the auto-proxy creator builds advisors
	 * before other beans, which would otherwise keep those beans (and the properties they bind) from
	 * every post-processor.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static GovernedToolAspect governedToolAspect(ObjectProvider<GovernedToolRegistry> registry,
			ObjectProvider<ToolErrorClassifier> classifier, Environment environment) {
		int order = Binder.get(environment)
			.bind(GovernanceToolProperties.PREFIX, GovernanceToolProperties.class)
			.orElseGet(GovernanceToolProperties::new)
			.getAspectOrder();
		return new GovernedToolAspect(registry::getObject, classifier::getObject, order);
	}

}
