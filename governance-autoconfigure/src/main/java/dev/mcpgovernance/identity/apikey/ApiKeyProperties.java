package dev.mcpgovernance.identity.apikey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** API-key authentication. */
@ConfigurationProperties(prefix = ApiKeyProperties.PREFIX)
@Validated
public class ApiKeyProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".api-keys";

	/** Whether API keys are accepted. They are only while a pepper is set. */
	private boolean enabled = true;

	/**
	 * Server-side secret mixed into every stored key hash (HMAC-SHA-256), at least 32 characters.
	 * Keep it out of source control, e.g. MCP_GOVERNANCE_API_KEYS_PEPPER. API-key authentication
	 * is off while it is unset.
	 */
	private String pepper;

	/** How long a verified key is remembered before the store is asked again (also bounds how late a revocation on another replica takes effect). */
	@NotNull
	private Duration cacheTtl = Duration.ofSeconds(30);

	/** Most keys remembered at once. */
	@Positive
	private long cacheMaxSize = 10_000;

	/**
	 * Whether a revocation is published on Redis so that every replica sharing it drops the key from
	 * its cache at once (otherwise within cache-ttl). Needs Spring Data Redis and a reachable Redis.
	 */
	private boolean broadcastRevocations = false;

	/** Redis pub/sub channel of revocations; the same on every replica of one deployment. */
	@NotBlank
	private String revocationChannel = "mcp-governance:api-key-revoked";

	/** Keys declared in configuration, as hashes, for deployments without a key table. */
	private List<@Valid DeclaredKey> declared = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPepper() {
		return this.pepper;
	}

	public void setPepper(String pepper) {
		this.pepper = pepper;
	}

	public Duration getCacheTtl() {
		return this.cacheTtl;
	}

	public void setCacheTtl(Duration cacheTtl) {
		this.cacheTtl = cacheTtl;
	}

	public long getCacheMaxSize() {
		return this.cacheMaxSize;
	}

	public void setCacheMaxSize(long cacheMaxSize) {
		this.cacheMaxSize = cacheMaxSize;
	}

	public boolean isBroadcastRevocations() {
		return this.broadcastRevocations;
	}

	public void setBroadcastRevocations(boolean broadcastRevocations) {
		this.broadcastRevocations = broadcastRevocations;
	}

	public String getRevocationChannel() {
		return this.revocationChannel;
	}

	public void setRevocationChannel(String revocationChannel) {
		this.revocationChannel = revocationChannel;
	}

	public List<DeclaredKey> getDeclared() {
		return this.declared;
	}

	public void setDeclared(List<DeclaredKey> declared) {
		this.declared = declared;
	}

	/** One key declared in configuration. */
	public static class DeclaredKey {

		/** Public id of the key, shown in the audit trail. */
		@NotBlank
		private String id;

		/** Hex HMAC-SHA-256 of the secret under the pepper, as printed by GenerateApiKey. */
		@NotNull
		@Pattern(regexp = "[0-9a-f]{64}", message = "must be the 64 lower-case hex characters printed by GenerateApiKey")
		private String hash;

		/** Stable id of the person or system that owns the key. */
		@NotBlank
		private String ownerId;

		/** Human-readable owner name for logs and the audit trail. */
		private String ownerLabel;

		/** Granted scopes, domain:resource:action with '*' allowed for resource and action. */
		@NotEmpty
		private List<String> scopes = new ArrayList<>();

		/** Requests per minute for this key; the server default when unset. */
		@Positive
		private Integer rateLimitRpm;

		/** When the key stops working, e.g. 2027-01-01T00:00:00Z; never when unset. */
		private Instant expiresAt;

		public String getId() {
			return this.id;
		}

		public void setId(String id) {
			this.id = id;
		}

		public String getHash() {
			return this.hash;
		}

		public void setHash(String hash) {
			this.hash = hash;
		}

		public String getOwnerId() {
			return this.ownerId;
		}

		public void setOwnerId(String ownerId) {
			this.ownerId = ownerId;
		}

		public String getOwnerLabel() {
			return this.ownerLabel;
		}

		public void setOwnerLabel(String ownerLabel) {
			this.ownerLabel = ownerLabel;
		}

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		public Integer getRateLimitRpm() {
			return this.rateLimitRpm;
		}

		public void setRateLimitRpm(Integer rateLimitRpm) {
			this.rateLimitRpm = rateLimitRpm;
		}

		public Instant getExpiresAt() {
			return this.expiresAt;
		}

		public void setExpiresAt(Instant expiresAt) {
			this.expiresAt = expiresAt;
		}

	}

}
