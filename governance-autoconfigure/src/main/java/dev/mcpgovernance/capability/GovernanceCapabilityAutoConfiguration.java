package dev.mcpgovernance.capability;

import java.time.Clock;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.identity.capability.CapabilityCredentialKind;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Capability tokens, when Biscuit is on the class path and at least one key is configured: the
 * verifier and its credential kind (for {@code X-MCP-Capability} over HTTP and {@code _meta.capability}
 * on STDIO) and, where a signing key is set, the issuer.
 */
@AutoConfiguration
@ConditionalOnClass(name = GovernanceCapabilityAutoConfiguration.BISCUIT)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = CapabilityProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Conditional(GovernanceCapabilityAutoConfiguration.KeysConfiguredCondition.class)
@EnableConfigurationProperties(CapabilityProperties.class)
public class GovernanceCapabilityAutoConfiguration {

	static final String BISCUIT = "org.biscuitsec.biscuit.token.Biscuit";

	@Bean
	@ConditionalOnMissingBean
	public CapabilityKeys capabilityKeys(CapabilityProperties properties) {
		return CapabilityKeys.from(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	public CapabilityVerifier capabilityVerifier(CapabilityKeys keys, CapabilityProperties properties) {
		return new CapabilityVerifier(keys, properties.getMaxDepth(), properties.getRateLimitRpm(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CapabilityAuthenticator.class)
	public CapabilityCredentialKind capabilityCredentialKind(CapabilityAuthenticator authenticator) {
		return new CapabilityCredentialKind(authenticator);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = CapabilityProperties.PREFIX + ".signing-key", name = "private-key")
	public CapabilityIssuer capabilityIssuer(CapabilityProperties properties) {
		return new CapabilityIssuer(CapabilityKeys.signingKeyPair(properties), properties.getSigningKey().getId(),
				properties.getMaxTtl(), Clock.systemUTC());
	}

	/** Some key to verify with: a listed public key or a signing key. */
	static class KeysConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			CapabilityProperties properties = Binder.get(context.getEnvironment())
				.bind(CapabilityProperties.PREFIX, Bindable.of(CapabilityProperties.class))
				.orElseGet(CapabilityProperties::new);
			boolean configured = !properties.getPublicKeys().isEmpty()
					|| properties.getSigningKey().getPrivateKey() != null;
			return configured ? ConditionOutcome.match("capability keys are configured")
					: ConditionOutcome.noMatch("no capability key is configured");
		}

	}

}
