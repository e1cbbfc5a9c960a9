package dev.mcpgovernance.admin;

import java.time.Instant;
import java.util.List;

import dev.mcpgovernance.identity.ApiKey;
import dev.mcpgovernance.scope.Scope;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;

/** The admin API's scopes and the shapes it reads and writes. */
public final class AdminApi {

	/** Needed to list keys. */
	public static final Scope READ = Scope.required("governance", "admin", "read");

	/** Needed to create, rotate and revoke keys. */
	public static final Scope WRITE = Scope.required("governance", "admin", "write");

	private AdminApi() {
	}

	/** A key to create. The caller can only grant scopes it holds itself. */
	public record CreateApiKey(@NotBlank String ownerId, String ownerLabel, @NotEmpty List<@NotBlank String> scopes,
			@Positive Integer rateLimitRpm, Instant expiresAt) {
	}

	/** A key as the API shows it: never its secret, never its hash. */
	public record ApiKeyView(String id, String ownerId, String ownerLabel, List<String> scopes, Integer rateLimitRpm,
			Instant createdAt, Instant expiresAt, Instant revokedAt, boolean declared) {

		static ApiKeyView of(ApiKey key, boolean declared) {
			return new ApiKeyView(key.id(), key.ownerId(), key.ownerLabel(),
					key.scopes().asStrings().stream().sorted().toList(), key.rateLimitRpm(), key.createdAt(),
					key.expiresAt(), key.revokedAt(), declared);
		}

	}

	/** A new key and its secret, shown this once. */
	public record CreatedApiKeyView(ApiKeyView key, String secret) {
	}

}
