package dev.mcpgovernance.identity.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * OAuth 2.1 callers: access tokens from trusted authorization servers, JWTs verified with their keys
 * and opaque tokens by their introspection endpoints (RFC 7662).
 */
@ConfigurationProperties(prefix = OAuthProperties.PREFIX)
@Validated
public class OAuthProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".oauth";

	/**
	 * Whether OAuth access tokens are accepted. They are only while at least one issuer is
	 * configured under mcp.governance.oauth.issuers.
	 */
	private boolean enabled = true;

	/** How far the clock of an authorization server may drift when exp and nbf are checked. */
	@NotNull
	private Duration clockSkew = Duration.ofSeconds(60);

	/** Trusted authorization servers by a name of your choice, e.g. one per tenant realm. */
	private Map<String, @Valid Issuer> issuers = new LinkedHashMap<>();

	/** How opaque access tokens are introspected, for every issuer that has an introspection-uri. */
	@Valid
	private final Introspection introspection = new Introspection();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getClockSkew() {
		return this.clockSkew;
	}

	public void setClockSkew(Duration clockSkew) {
		this.clockSkew = clockSkew;
	}

	public Map<String, Issuer> getIssuers() {
		return this.issuers;
	}

	public void setIssuers(Map<String, Issuer> issuers) {
		this.issuers = issuers;
	}

	public Introspection getIntrospection() {
		return this.introspection;
	}

	/** Token introspection (RFC 7662) of opaque access tokens. */
	public static class Introspection {

		/**
		 * How long an introspection's answer is reused for the same token (never beyond the token's
		 * exp). A token revoked at its authorization server is refused at the latest this long after.
		 */
		@NotNull
		private Duration cacheTtl = Duration.ofSeconds(30);

		/** How many tokens' answers are kept at most. */
		@Positive
		private int cacheMaxSize = 10_000;

		/** How long to wait for an introspection endpoint to connect and answer; then the token is refused. */
		@NotNull
		private Duration timeout = Duration.ofSeconds(5);

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public int getCacheMaxSize() {
			return this.cacheMaxSize;
		}

		public void setCacheMaxSize(int cacheMaxSize) {
			this.cacheMaxSize = cacheMaxSize;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/** One trusted authorization server. */
	public static class Issuer {

		/**
		 * Issuer identifier; a token's iss claim must equal it. Its keys are discovered from its
		 * metadata (OpenID Connect or RFC 8414) unless jwk-set-uri is set.
		 */
		@NotNull
		private URI issuerUri;

		/** Where the issuer's signing keys are published; discovered from issuer-uri when unset. */
		private URI jwkSetUri;

		/**
		 * Value the token's aud claim must contain (RFC 8707); mcp.governance.resource when unset.
		 */
		private String audience;

		/**
		 * Signature algorithms accepted from this issuer. Asymmetric only: RS256/384/512,
		 * PS256/384/512, ES256/384/512; HS* and none stop start-up.
		 */
		@NotEmpty
		private List<String> algorithms = new ArrayList<>(List.of("RS256"));

		/** Claim holding the stable id of the caller (the owner id). */
		@NotBlank
		private String ownerClaim = "sub";

		/** Claims tried in turn for a human-readable caller name. */
		@NotNull
		private List<String> labelClaims = new ArrayList<>(List.of("name", "preferred_username"));

		/** Claim holding the caller's tenant; no tenant when unset. */
		private String tenantClaim;

		/**
		 * Claims holding granted scopes, each a space-separated string or an array; their values
		 * are merged. Values that are not domain:resource:action grant nothing.
		 */
		@NotEmpty
		private List<String> scopeClaims = new ArrayList<>(List.of("scope", "scp"));

		/** Requests per minute for callers of this issuer; the server default when unset. */
		@Positive
		private Integer rateLimitRpm;

		/** Requests per minute by owner id or client id, ahead of rate-limit-rpm. */
		@NotNull
		private Map<String, @Positive Integer> rateLimits = new LinkedHashMap<>();

		/**
		 * Token introspection endpoint (RFC 7662) of this issuer. When set, bearer tokens that are not
		 * JWTs are introspected there; JWTs are still verified with the issuer's keys.
		 */
		private URI introspectionUri;

		/** Client id this server authenticates with at the introspection endpoint (HTTP Basic). */
		private String introspectionClientId;

		/** Client secret this server authenticates with at the introspection endpoint. */
		private String introspectionClientSecret;

		public URI getIssuerUri() {
			return this.issuerUri;
		}

		public void setIssuerUri(URI issuerUri) {
			this.issuerUri = issuerUri;
		}

		public URI getJwkSetUri() {
			return this.jwkSetUri;
		}

		public void setJwkSetUri(URI jwkSetUri) {
			this.jwkSetUri = jwkSetUri;
		}

		public String getAudience() {
			return this.audience;
		}

		public void setAudience(String audience) {
			this.audience = audience;
		}

		public List<String> getAlgorithms() {
			return this.algorithms;
		}

		public void setAlgorithms(List<String> algorithms) {
			this.algorithms = algorithms;
		}

		public String getOwnerClaim() {
			return this.ownerClaim;
		}

		public void setOwnerClaim(String ownerClaim) {
			this.ownerClaim = ownerClaim;
		}

		public List<String> getLabelClaims() {
			return this.labelClaims;
		}

		public void setLabelClaims(List<String> labelClaims) {
			this.labelClaims = labelClaims;
		}

		public String getTenantClaim() {
			return this.tenantClaim;
		}

		public void setTenantClaim(String tenantClaim) {
			this.tenantClaim = tenantClaim;
		}

		public List<String> getScopeClaims() {
			return this.scopeClaims;
		}

		public void setScopeClaims(List<String> scopeClaims) {
			this.scopeClaims = scopeClaims;
		}

		public Integer getRateLimitRpm() {
			return this.rateLimitRpm;
		}

		public void setRateLimitRpm(Integer rateLimitRpm) {
			this.rateLimitRpm = rateLimitRpm;
		}

		public Map<String, Integer> getRateLimits() {
			return this.rateLimits;
		}

		public void setRateLimits(Map<String, Integer> rateLimits) {
			this.rateLimits = rateLimits;
		}

		public URI getIntrospectionUri() {
			return this.introspectionUri;
		}

		public void setIntrospectionUri(URI introspectionUri) {
			this.introspectionUri = introspectionUri;
		}

		public String getIntrospectionClientId() {
			return this.introspectionClientId;
		}

		public void setIntrospectionClientId(String introspectionClientId) {
			this.introspectionClientId = introspectionClientId;
		}

		public String getIntrospectionClientSecret() {
			return this.introspectionClientSecret;
		}

		public void setIntrospectionClientSecret(String introspectionClientSecret) {
			this.introspectionClientSecret = introspectionClientSecret;
		}

	}

}
