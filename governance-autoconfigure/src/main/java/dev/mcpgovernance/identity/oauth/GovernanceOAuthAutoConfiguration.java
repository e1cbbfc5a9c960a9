package dev.mcpgovernance.identity.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
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
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.client.JdkClientHttpRequestFactory;
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
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.RestClientOpaqueTokenIntrospector;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * OAuth 2.1 callers: a {@link JwtAuthenticator} over the trusted issuers of
 * {@code mcp.governance.oauth.issuers}, each with a decoder from Spring Security's resource server
 * that accepts only the issuer's asymmetric algorithms and checks issuer, audience, expiry and
 * not-before; and, for issuers with an introspection endpoint, an {@link OpaqueTokenAuthenticator}.
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
	public JwtCredentialKind jwtCredentialKind(JwtAuthenticator authenticator, OAuthProperties properties) {
		// With introspection, bearer tokens that are not JWTs are the opaque kind's.
		boolean introspection = properties.getIssuers()
			.values()
			.stream()
			.anyMatch((issuer) -> issuer.getIntrospectionUri() != null);
		return new JwtCredentialKind(authenticator, introspection);
	}

	private static TrustedIssuer trustedIssuer(String name, OAuthProperties.Issuer issuer, Duration clockSkew,
			URI resource) {
		String property = OAuthProperties.PREFIX + ".issuers." + name;
		Set<SignatureAlgorithm> algorithms = asymmetricAlgorithms(property, issuer.getAlgorithms());
		String audience = audience(name, issuer, resource);
		String issuerUri = issuer.getIssuerUri().toString();
		OAuth2TokenValidator<Jwt> validator = validator(issuerUri, audience, clockSkew);
		// Discovery through issuer-uri waits for the first token, so an identity provider that is
		// down does not stop start-up; until it answers, tokens are refused.
		JwtDecoder decoder = (issuer.getJwkSetUri() != null)
				? decoder(NimbusJwtDecoder.withJwkSetUri(issuer.getJwkSetUri().toString()), algorithms, validator)
				: new SupplierJwtDecoder(
						() -> decoder(NimbusJwtDecoder.withIssuerLocation(issuerUri), algorithms, validator));
		return new TrustedIssuer(issuerUri, decoder, mapping(issuer));
	}

	/** What a token's {@code aud} must contain (RFC 8707); a start-up failure when nothing names this server. */
	static String audience(String name, OAuthProperties.Issuer issuer, URI resource) {
		String audience = StringUtils.hasText(issuer.getAudience()) ? issuer.getAudience()
				: (resource != null) ? resource.toString() : null;
		if (audience == null) {
			String property = OAuthProperties.PREFIX + ".issuers." + name;
			throw new GovernanceConfigurationException(
					"Trusted issuer '" + name + "' has no audience, so tokens minted for any server would be accepted.",
					"Set " + GovernanceProperties.PREFIX + ".resource to this server's canonical URI (e.g. "
							+ "https://mcp.example.com/mcp), or " + property + ".audience.");
		}
		return audience;
	}

	static JwtCallerMapping mapping(OAuthProperties.Issuer issuer) {
		return new JwtCallerMapping(issuer.getOwnerClaim(), issuer.getLabelClaims(),
				StringUtils.hasText(issuer.getTenantClaim()) ? issuer.getTenantClaim() : null, issuer.getScopeClaims(),
				issuer.getRateLimitRpm(), issuer.getRateLimits());
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

	/**
	 * Opaque access tokens: an {@link OpaqueTokenAuthenticator} over the issuers that have an
	 * introspection endpoint, each asked with Spring Security's {@link RestClientOpaqueTokenIntrospector}
	 * under a time limit, and its credential kind.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector")
	@Conditional(IntrospectionConfiguredCondition.class)
	static class IntrospectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		public OpaqueTokenAuthenticator opaqueTokenAuthenticator(OAuthProperties properties,
				GovernanceProperties governance) {
			List<OpaqueTokenAuthenticator.IntrospectingIssuer> issuers = new ArrayList<>();
			properties.getIssuers().forEach((name, issuer) -> {
				if (issuer.getIntrospectionUri() != null) {
					issuers.add(new OpaqueTokenAuthenticator.IntrospectingIssuer(issuer.getIssuerUri().toString(),
							introspector(name, issuer, properties.getIntrospection().getTimeout()),
							audience(name, issuer, governance.getResource()), mapping(issuer)));
				}
			});
			OAuthProperties.Introspection introspection = properties.getIntrospection();
			return new OpaqueTokenAuthenticator(issuers, properties.getClockSkew(), introspection.getCacheTtl(),
					introspection.getCacheMaxSize(), Clock.systemUTC());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(OpaqueTokenAuthenticator.class)
		public OpaqueTokenCredentialKind opaqueTokenCredentialKind(OpaqueTokenAuthenticator authenticator) {
			return new OpaqueTokenCredentialKind(authenticator);
		}

		private static OpaqueTokenIntrospector introspector(String name, OAuthProperties.Issuer issuer, Duration timeout) {
			String property = OAuthProperties.PREFIX + ".issuers." + name;
			if (!StringUtils.hasText(issuer.getIntrospectionClientId())
					|| !StringUtils.hasText(issuer.getIntrospectionClientSecret())) {
				throw new GovernanceConfigurationException(
						"Trusted issuer '" + name + "' has an introspection-uri but no client credentials for it.",
						"Set " + property + ".introspection-client-id and " + property
								+ ".introspection-client-secret to the client this server is registered as there.");
			}
			JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
					HttpClient.newBuilder().connectTimeout(timeout).build());
			requests.setReadTimeout(timeout);
			// RFC 6749, 2.3.1: the client id and secret are form-encoded before HTTP Basic.
			String clientId = URLEncoder.encode(issuer.getIntrospectionClientId(), StandardCharsets.UTF_8);
			String clientSecret = URLEncoder.encode(issuer.getIntrospectionClientSecret(), StandardCharsets.UTF_8);
			RestClient client = RestClient.builder()
				.requestFactory(requests)
				.defaultHeaders((headers) -> headers.setBasicAuth(clientId, clientSecret))
				.build();
			return new RestClientOpaqueTokenIntrospector(issuer.getIntrospectionUri().toString(), client);
		}

	}

	/** At least one trusted issuer has an introspection endpoint. */
	static class IntrospectionConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			boolean configured = Binder.get(context.getEnvironment())
				.bind(OAuthProperties.PREFIX + ".issuers", Bindable.mapOf(String.class, OAuthProperties.Issuer.class))
				.map((issuers) -> issuers.values().stream().anyMatch((issuer) -> issuer.getIntrospectionUri() != null))
				.orElse(false);
			return configured ? ConditionOutcome.match("an issuer has an introspection-uri")
					: ConditionOutcome.noMatch("no issuer under " + OAuthProperties.PREFIX + ".issuers has an introspection-uri");
		}

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
