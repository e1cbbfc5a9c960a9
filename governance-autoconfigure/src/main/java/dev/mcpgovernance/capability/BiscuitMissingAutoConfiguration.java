package dev.mcpgovernance.capability;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Capability keys configured without Biscuit on the class path: the starter no longer brings it, so
 * rather than refusing every capability token with a bare 401, start-up stops and says what to add.
 */
@AutoConfiguration
@ConditionalOnMissingClass(GovernanceCapabilityAutoConfiguration.BISCUIT)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = CapabilityProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Conditional(GovernanceCapabilityAutoConfiguration.KeysConfiguredCondition.class)
public class BiscuitMissingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "capabilityVerifier")
	Object capabilityVerifier() {
		throw new GovernanceConfigurationException(
				"Capability keys are configured (" + CapabilityProperties.PREFIX + ".*), but Biscuit is not on the class path.",
				"Add org.biscuitsec:biscuit to the application's dependencies, or remove the capability keys.");
	}

}
