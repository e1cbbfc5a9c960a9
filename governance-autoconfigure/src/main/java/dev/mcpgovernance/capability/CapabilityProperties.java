package dev.mcpgovernance.capability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Capability tokens (Biscuit, Ed25519): which keys are trusted, and the key this server mints with. */
@ConfigurationProperties(prefix = CapabilityProperties.PREFIX)
@Validated
public class CapabilityProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".capability";

	/**
	 * Whether capability tokens are accepted (X-MCP-Capability on HTTP, _meta.capability on STDIO).
	 * They are only while at least one key is configured.
	 */
	private boolean enabled = true;

	/**
	 * Public keys whose tokens are accepted, each under the root key id its tokens name. List the new
	 * key next to the old one to rotate without a gap.
	 */
	private List<@Valid PublicKeyEntry> publicKeys = new ArrayList<>();

	/**
	 * The key this server mints tokens with; set it only where tokens are minted. Its public half is
	 * accepted without being listed in public-keys.
	 */
	@Valid
	private SigningKey signingKey = new SigningKey();

	/** Longest lifetime a minted token may have. */
	@NotNull
	private Duration maxTtl = Duration.ofHours(24);

	/** Most attenuation blocks a token may carry; a longer chain is refused. */
	@PositiveOrZero
	@Max(64)
	private int maxDepth = 8;

	/**
	 * Requests per minute for a capability caller, counted per root token (its narrowed tokens share
	 * the count); the server default when unset. A token can never raise it.
	 */
	@Positive
	private Integer rateLimitRpm;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<PublicKeyEntry> getPublicKeys() {
		return this.publicKeys;
	}

	public void setPublicKeys(List<PublicKeyEntry> publicKeys) {
		this.publicKeys = publicKeys;
	}

	public SigningKey getSigningKey() {
		return this.signingKey;
	}

	public void setSigningKey(SigningKey signingKey) {
		this.signingKey = signingKey;
	}

	public Duration getMaxTtl() {
		return this.maxTtl;
	}

	public void setMaxTtl(Duration maxTtl) {
		this.maxTtl = maxTtl;
	}

	public int getMaxDepth() {
		return this.maxDepth;
	}

	public void setMaxDepth(int maxDepth) {
		this.maxDepth = maxDepth;
	}

	public Integer getRateLimitRpm() {
		return this.rateLimitRpm;
	}

	public void setRateLimitRpm(Integer rateLimitRpm) {
		this.rateLimitRpm = rateLimitRpm;
	}

	/** One trusted public key. */
	public static class PublicKeyEntry {

		/** Root key id that tokens signed with this key name. */
		@NotNull
		@PositiveOrZero
		private Integer id;

		/** The Ed25519 public key: 64 hex characters (or base64), as printed by GenerateCapabilityKeys. */
		@NotBlank
		private String key;

		public Integer getId() {
			return this.id;
		}

		public void setId(Integer id) {
			this.id = id;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

	}

	/** The key tokens are minted with. */
	public static class SigningKey {

		/** Root key id written into every minted token, so that verifiers pick the right public key. */
		@PositiveOrZero
		private Integer id;

		/**
		 * The Ed25519 private key (seed): 64 hex characters (or base64). Keep it out of source control,
		 * e.g. MCP_GOVERNANCE_CAPABILITY_SIGNING_KEY_PRIVATE_KEY.
		 */
		private String privateKey;

		public Integer getId() {
			return this.id;
		}

		public void setId(Integer id) {
			this.id = id;
		}

		public String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(String privateKey) {
			this.privateKey = privateKey;
		}

	}

}
