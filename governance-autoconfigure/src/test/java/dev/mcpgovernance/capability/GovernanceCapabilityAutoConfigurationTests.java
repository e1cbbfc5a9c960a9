package dev.mcpgovernance.capability;

import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.capability.CapabilityAuthenticator;
import dev.mcpgovernance.scope.ScopeSet;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.token.Biscuit;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class GovernanceCapabilityAutoConfigurationTests {

	private static final KeyPair SIGNING = new KeyPair();

	private static final KeyPair OTHER = new KeyPair();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GovernanceCapabilityAutoConfiguration.class));

	private final ApplicationContextRunner verifying = this.runner.withPropertyValues(
			"mcp.governance.capability.public-keys[0].id=2",
			"mcp.governance.capability.public-keys[0].key=" + OTHER.public_key().toHex());

	private final ApplicationContextRunner minting = this.runner.withPropertyValues(
			"mcp.governance.capability.signing-key.id=1",
			"mcp.governance.capability.signing-key.private-key=" + SIGNING.toHex());

	@Test
	void withoutAnyKeyThereIsNothing() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(CapabilityVerifier.class)
			.doesNotHaveBean(CapabilityIssuer.class));
	}

	@Test
	void publicKeysAloneVerifyButDoNotMint() {
		this.verifying.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(CapabilityVerifier.class)
				.hasSingleBean(CapabilityAuthenticator.class)
				.doesNotHaveBean(CapabilityIssuer.class);
			assertThat(context.getBean(CapabilityKeys.class).ids()).containsExactly(2);
		});
	}

	@Test
	void signingKeyMintsTokensItsOwnVerifierAccepts() {
		this.minting.withPropertyValues("mcp.governance.capability.public-keys[0].id=2",
				"mcp.governance.capability.public-keys[0].key=" + OTHER.public_key().toHex())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(CapabilityIssuer.class);
				assertThat(context.getBean(CapabilityKeys.class).ids()).containsExactlyInAnyOrder(1, 2);
				String token = context.getBean(CapabilityIssuer.class)
					.mint(CapabilityGrant.of("a", ScopeSet.parse(List.of("orders:*:*")), java.time.Duration.ofMinutes(1)))
					.token();
				assertThat(context.getBean(CapabilityVerifier.class).authenticate(token))
					.isInstanceOf(AuthenticationOutcome.Authenticated.class);
			});
	}

	@Test
	void keysMayBeGivenInBase64OrWithBiscuitsPrefix() {
		String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(OTHER.public_key().toHex()));
		this.runner
			.withPropertyValues("mcp.governance.capability.public-keys[0].id=2",
					"mcp.governance.capability.public-keys[0].key=" + base64,
					"mcp.governance.capability.public-keys[1].id=3",
					"mcp.governance.capability.public-keys[1].key=ed25519/" + SIGNING.public_key().toHex())
			.run((context) -> assertThat(context.getBean(CapabilityKeys.class).ids()).containsExactlyInAnyOrder(2, 3));
	}

	@Test
	void propertiesChangeTheVerifierAndTheIssuer() throws Exception {
		this.minting.withPropertyValues("mcp.governance.capability.max-depth=0", "mcp.governance.capability.max-ttl=5m")
			.run((context) -> {
				CapabilityIssuer issuer = context.getBean(CapabilityIssuer.class);
				assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> issuer.mint(
						CapabilityGrant.of("a", ScopeSet.parse(List.of("orders:*:*")), java.time.Duration.ofMinutes(6)))))
					.isInstanceOf(IllegalArgumentException.class);
				String token = issuer
					.mint(CapabilityGrant.of("a", ScopeSet.parse(List.of("orders:*:*")), java.time.Duration.ofMinutes(5)))
					.token();
				String narrowed = CapabilityTokens.attenuate(token, Attenuation.none().tools("get_order"));
				assertThat(context.getBean(CapabilityVerifier.class).authenticate(narrowed))
					.isInstanceOf(AuthenticationOutcome.Rejected.class);
			});
	}

	@Test
	void aBadKeyStopsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("mcp.governance.capability.public-keys[0].id=2",
					"mcp.governance.capability.public-keys[0].key=not-a-key")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("mcp.governance.capability.public-keys[0].key"));
		this.runner.withPropertyValues("mcp.governance.capability.signing-key.private-key=" + SIGNING.toHex())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("without its id"));
		this.minting
			.withPropertyValues("mcp.governance.capability.public-keys[0].id=1",
					"mcp.governance.capability.public-keys[0].key=" + OTHER.public_key().toHex())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(GovernanceConfigurationException.class)
				.hasMessageContaining("does not belong to the signing key"));
	}

	@Test
	void disabledMeansNoBeans() {
		this.minting.withPropertyValues("mcp.governance.capability.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CapabilityVerifier.class)
				.doesNotHaveBean(CapabilityIssuer.class));
		this.minting.withPropertyValues("mcp.governance.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CapabilityVerifier.class));
	}

	@Test
	void withoutBiscuitAndWithoutKeysThereIsNothing() {
		this.runner.withConfiguration(AutoConfigurations.of(BiscuitMissingAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(Biscuit.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CapabilityVerifier.class)
				.doesNotHaveBean(CapabilityIssuer.class));
	}

	@Test
	void keysConfiguredWithoutBiscuitStopStartUpSayingWhatToAdd() {
		this.minting.withConfiguration(AutoConfigurations.of(BiscuitMissingAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(Biscuit.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(GovernanceConfigurationException.class)
					.hasMessageContaining("Biscuit is not on the class path");
			});
	}

	@Test
	void userBeansWin() {
		this.minting.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(CapabilityVerifier.class)).isSameAs(UserBeans.VERIFIER);
			assertThat(context.getBean(CapabilityIssuer.class)).isSameAs(UserBeans.ISSUER);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final CapabilityVerifier VERIFIER = new CapabilityVerifier(new CapabilityKeys(Map.of()), 0, null,
				Clock.systemUTC());

		static final CapabilityIssuer ISSUER = new CapabilityIssuer(SIGNING, 5, java.time.Duration.ofMinutes(1),
				Clock.systemUTC());

		@Bean
		CapabilityVerifier capabilityVerifier() {
			return VERIFIER;
		}

		@Bean
		CapabilityIssuer capabilityIssuer() {
			return ISSUER;
		}

	}

}
