package dev.mcpgovernance.outbound;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Where exchanged tokens are kept until shortly before they expire. */
@Validated
@ConfigurationProperties(prefix = TokenCacheProperties.PREFIX)
public class TokenCacheProperties {

	public static final String PREFIX = "mcp.governance.token-cache";

	/** Where exchanged tokens are kept: in this JVM, or in Redis (encrypted) for every replica. */
	@NotNull
	private Store store = Store.MEMORY;

	/**
	 * AES-256 key encrypting tokens kept in Redis, base64 of 32 random bytes (e.g.
	 * {@code openssl rand -base64 32}). Required with store=redis.
	 */
	private String encryptionKey;

	/** Name of the encryption key, written with every value: change it with the key to rotate. */
	@NotBlank
	private String keyId = "k1";

	/** Prefix of the Redis keys. */
	@NotBlank
	private String keyPrefix = "mcp-governance:token:";

	/** How long before its expiry an exchanged token is no longer handed out. */
	@NotNull
	private Duration refreshBefore = Duration.ofSeconds(30);

	/** Most tokens kept in memory (store=memory). */
	@Min(1)
	private long maximumSize = 10_000;

	public enum Store {

		/** In this JVM (Caffeine). */
		MEMORY,

		/** In Redis, AES-GCM encrypted, shared by every replica. */
		REDIS

	}

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public String getEncryptionKey() {
		return this.encryptionKey;
	}

	public void setEncryptionKey(String encryptionKey) {
		this.encryptionKey = encryptionKey;
	}

	public String getKeyId() {
		return this.keyId;
	}

	public void setKeyId(String keyId) {
		this.keyId = keyId;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public Duration getRefreshBefore() {
		return this.refreshBefore;
	}

	public void setRefreshBefore(Duration refreshBefore) {
		this.refreshBefore = refreshBefore;
	}

	public long getMaximumSize() {
		return this.maximumSize;
	}

	public void setMaximumSize(long maximumSize) {
		this.maximumSize = maximumSize;
	}

}
