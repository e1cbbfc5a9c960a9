package dev.mcpgovernance.identity;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.util.StringUtils;

/**
 * OAuth 2.1 callers: a {@link JwtAuthenticator} over the trusted issuers of
 * {@code mcp.governance.oauth.issuers}, each with a decoder from Spring Security's resource server
 * that accepts only the issuer's asymmetric algorithms and checks issuer, audience, expiry and
 * not-before.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.security.oauth2.jwt.NimbusJwtDecoder")
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = OAuthProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ GovernanceProperties.class, OAuthProperties.class })
public class GovernanceOAuthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Conditional(IssuersConfiguredCondition.class)
	public JwtAuthenticator jwtAuthenticator(OAuthProperties properties, GovernanceProperties governance) {
		List<TrustedIssuer> issuers = new ArrayList<>();
		properties.getIssuers()
			.forEach((name, issuer) -> issuers
				.add(trustedIssuer(name, issuer, properties.getClockSkew(), governance.getResource())));
		return new JwtAuthenticator(issuers, properties.getClockSkew());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(IssuersConfiguredCondition.class)
	public JwtCredentialKind jwtCredentialKind(JwtAuthenticator authenticator) {
		return new JwtCredentialKind(authenticator, false);
	}

	private static TrustedIssuer trustedIssuer(String name, OAuthProperties.Issuer issuer, Duration clockSkew,
			URI resource) {
		String property = OAuthProperties.PREFIX + ".issuers." + name;
		Set<SignatureAlgorithm> algorithms = asymmetricAlgorithms(property, issuer.getAlgorithms());
		String audience = StringUtils.hasText(issuer.getAudience()) ? issuer.getAudience()
				: (resource != null) ? resource.toString() : null;
		if (audience == null) {
			throw new GovernanceConfigurationException(
					"Trusted issuer '" + name + "' has no audience, so tokens minted for any server would be accepted.",
					"Set " + GovernanceProperties.PREFIX + ".resource to this server's canonical URI (e.g. "
							+ "https://mcp.example.com/mcp), or " + property + ".audience.");
		}
		String issuerUri = issuer.getIssuerUri().toString();
		OAuth2TokenValidator<Jwt> validator = validator(issuerUri, audience, clockSkew);
		// Discovery through issuer-uri waits for the first token, so an identity provider that is
		// down does not stop start-up; until it answers, tokens are refused.
		JwtDecoder decoder = (issuer.getJwkSetUri() != null)
				? decoder(NimbusJwtDecoder.withJwkSetUri(issuer.getJwkSetUri().toString()), algorithms, validator)
				: new SupplierJwtDecoder(
						() -> decoder(NimbusJwtDecoder.withIssuerLocation(issuerUri), algorithms, validator));
		JwtCallerMapping mapping = new JwtCallerMapping(issuer.getOwnerClaim(), issuer.getLabelClaims(),
				StringUtils.hasText(issuer.getTenantClaim()) ? issuer.getTenantClaim() : null, issuer.getScopeClaims(),
				issuer.getRateLimitRpm(), issuer.getRateLimits());
		return new TrustedIssuer(issuerUri, decoder, mapping);
	}

	private static NimbusJwtDecoder decoder(NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder,
			Set<SignatureAlgorithm> algorithms, OAuth2TokenValidator<Jwt> validator) {
		NimbusJwtDecoder decoder = builder.jwsAlgorithms((accepted) -> accepted.addAll(algorithms))
			// The type is checked by the validator, which also admits RFC 9068's at+jwt.
			.validateType(false)
			.build();
		decoder.setJwtValidator(validator);
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience, Duration clockSkew) {
		JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
		type.setAllowEmpty(true);
		// A token without exp would never expire; the timestamp validator alone lets it through.
		JwtClaimValidator<Object> expiryRequired = new JwtClaimValidator<>(JwtClaimNames.EXP, Objects::nonNull);
		return new DelegatingOAuth2TokenValidator<>(List.of(type, expiryRequired, new JwtTimestampValidator(clockSkew),
				new JwtIssuerValidator(issuer), new JwtAudienceValidator(audience)));
	}

	/** The configured algorithms; HS* (the key-confusion attack) and none stop start-up even if listed. */
	private static Set<SignatureAlgorithm> asymmetricAlgorithms(String property, List<String> names) {
		Set<SignatureAlgorithm> algorithms = new LinkedHashSet<>();
		for (String name : names) {
			SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
			if (algorithm == null) {
				throw new GovernanceConfigurationException(
						property + ".algorithms lists '" + name + "', which is not an asymmetric signature algorithm.",
						"List only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512: symmetric "
								+ "algorithms (HS*) and none let anyone who knows the key, or nobody, sign tokens.");
			}
			algorithms.add(algorithm);
		}
		return algorithms;
	}

	/** At least one trusted issuer is configured. */
	static class IssuersConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			boolean configured = Binder.get(context.getEnvironment())
				.bind(OAuthProperties.PREFIX + ".issuers", Bindable.mapOf(String.class, Object.class))
				.map(Map::isEmpty)
				.map((empty) -> !empty)
				.orElse(false);
			return configured ? ConditionOutcome.match("trusted issuers are configured")
					: ConditionOutcome.noMatch("no trusted issuer is configured under " + OAuthProperties.PREFIX + ".issuers");
		}

	}

}
