package dev.mcpgovernance.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.identity.apikey.ApiKey;
import dev.mcpgovernance.scope.Scope;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The admin API's scopes and the shapes it reads and writes. */
public final class AdminApi {

	/**
	 * The admin API's error answer, the same envelope as a tool error:
	 * {@code {"error_code", "message", "details"}}, keys in this order.
	 */
	@SuppressWarnings("unchecked")
	static <T> ResponseEntity<T> error(HttpStatus status, String code, String message, Map<String, Object> details) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error_code", code);
		body.put("message", message);
		body.put("details", details);
		return (ResponseEntity<T>) ResponseEntity.status(status).body(body);
	}


	/** Needed to list keys. */
	public static final Scope READ = Scope.required("governance", "admin", "read");

	/** Needed to create, rotate and revoke keys. */
	public static final Scope WRITE = Scope.required("governance", "admin", "write");

	/** Needed to mint capability tokens. */
	public static final Scope MINT_CAPABILITY = Scope.required("governance", "capability", "mint");

	/** Needed to list the gateway's upstreams. */
	public static final Scope UPSTREAM_READ = Scope.required("governance", "upstream", "read");

	/** Needed to add, remove and refresh the gateway's upstreams. */
	public static final Scope UPSTREAM_WRITE = Scope.required("governance", "upstream", "write");

	private AdminApi() {
	}

	/**
	 * A root capability token to mint. The caller can only grant scopes it holds itself.
	 * @param ttl how long the token lives, e.g. {@code "PT15M"} or a number of seconds
	 * @param tools the only tools the token may call; empty or missing for every tool its scopes cover
	 * @param limits resource limits for the handlers, such as {@code max_rows}
	 */
	public record MintCapability(@NotBlank String subject, String label, @NotEmpty List<@NotBlank String> scopes,
			List<@NotBlank String> tools, @NotNull Duration ttl, Map<String, @NotNull @PositiveOrZero Long> limits) {
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
