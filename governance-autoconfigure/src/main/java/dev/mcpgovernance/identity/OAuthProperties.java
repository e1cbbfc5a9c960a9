package dev.mcpgovernance.identity;

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

/** OAuth 2.1 callers: JWT access tokens from trusted authorization servers. */
@ConfigurationProperties(prefix = OAuthProperties.PREFIX)
@Validated
public class OAuthProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".oauth";

	/**
	 * Whether JWT access tokens are accepted. They are only while at least one issuer is
	 * configured under mcp.governance.oauth.issuers.
	 */
	private boolean enabled = true;

	/** How far the clock of an authorization server may drift when exp and nbf are checked. */
	@NotNull
	private Duration clockSkew = Duration.ofSeconds(60);

	/** Trusted authorization servers by a name of your choice, e.g. one per tenant realm. */
	private Map<String, @Valid Issuer> issuers = new LinkedHashMap<>();

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

	}

}
