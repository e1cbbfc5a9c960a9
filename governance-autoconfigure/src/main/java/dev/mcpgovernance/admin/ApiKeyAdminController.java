package dev.mcpgovernance.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mcpgovernance.admin.AdminApi.ApiKeyView;
import dev.mcpgovernance.admin.AdminApi.CreateApiKey;
import dev.mcpgovernance.admin.AdminApi.CreatedApiKeyView;
import dev.mcpgovernance.identity.apikey.ApiKey;
import dev.mcpgovernance.identity.apikey.ApiKeyManager;
import dev.mcpgovernance.identity.apikey.ApiKeyManager.CreatedApiKey;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * API keys over REST: create (the secret is in the response, once), list, rotate, revoke. A caller
 * can only grant scopes it holds itself, so the admin API never widens anyone's rights.
 * <p>
 * The OpenAPI annotations document it for springdoc when the application has springdoc; without
 * it they are inert.
 */
@Tag(name = "API keys", description = "Create, list, rotate and revoke the API keys of MCP callers. "
		+ "GET needs scope governance:admin:read, everything else governance:admin:write.")
@SecurityScheme(name = ApiKeyAdminController.API_KEY_SCHEME, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
		paramName = "X-API-Key", description = "An API key (sk_…) holding governance:admin:read or :write.")
@SecurityScheme(name = ApiKeyAdminController.BEARER_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
		description = "An API key (sk_…) or an OAuth access token of a trusted issuer, holding governance:admin:read or :write.")
@SecurityRequirement(name = ApiKeyAdminController.API_KEY_SCHEME)
@SecurityRequirement(name = ApiKeyAdminController.BEARER_SCHEME)
@ApiResponse(responseCode = "401", description = "No credential, or one that is not valid", content = @Content)
@RestController
@RequestMapping("${" + GovernanceAdminProperties.PREFIX + ".base-path:/mcp-governance/admin}/api-keys")
public class ApiKeyAdminController {

	/** The OpenAPI security scheme of the X-API-Key header. */
	public static final String API_KEY_SCHEME = "mcpGovernanceApiKey";

	/** The OpenAPI security scheme of an Authorization bearer credential. */
	public static final String BEARER_SCHEME = "mcpGovernanceBearer";

	private static final String KEY_EXAMPLE = """
			{"id":"key_3f9a2c","ownerId":"agent-7","ownerLabel":"Agent 7","scopes":["orders:order:read"],\
			"rateLimitRpm":30,"createdAt":"2026-01-05T10:00:00Z","expiresAt":null,"revokedAt":null,"declared":false}""";

	private static final String CREATED_EXAMPLE = "{\"key\":" + KEY_EXAMPLE
			+ ",\"secret\":\"sk_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5\"}";

	private static final String FORBIDDEN_EXAMPLE = """
			{"error_code":"forbidden","message":"The caller cannot grant orders:order:cancel, which it does not hold itself.",\
			"details":{}}""";

	private static final String NOT_FOUND_EXAMPLE = """
			{"error_code":"not_found","message":"No active API key has this id.","details":{}}""";

	private static final String CONFLICT_EXAMPLE = """
			{"error_code":"conflict","message":"This key is declared in configuration; change or remove it there.",\
			"details":{}}""";

	private final ApiKeyManager keys;

	public ApiKeyAdminController(ApiKeyManager keys) {
		this.keys = keys;
	}

	@Operation(summary = "List API keys", description = "Every key, revoked ones included; never a secret or a hash. "
			+ "Needs scope governance:admin:read.")
	@ApiResponse(responseCode = "200", description = "The keys",
			content = @Content(mediaType = "application/json",
					array = @ArraySchema(schema = @Schema(implementation = ApiKeyView.class)),
					examples = @ExampleObject("[" + KEY_EXAMPLE + "]")))
	@ApiResponse(responseCode = "403", description = "The caller lacks governance:admin:read", content = @Content)
	@GetMapping
	public List<ApiKeyView> list() {
		return this.keys.list().stream().map((key) -> ApiKeyView.of(key, this.keys.isDeclared(key.id()))).toList();
	}

	@Operation(summary = "Create an API key",
			description = "Returns the secret once; only its keyed hash is stored. The caller can grant only scopes "
					+ "it holds itself. Needs scope governance:admin:write.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreateApiKey.class),
							examples = @ExampleObject("""
									{"ownerId":"agent-7","ownerLabel":"Agent 7","scopes":["orders:order:read"],"rateLimitRpm":30}"""))))
	@ApiResponse(responseCode = "201", description = "The key and its secret, shown this once",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedApiKeyView.class),
					examples = @ExampleObject(CREATED_EXAMPLE)))
	@ApiResponse(responseCode = "400", description = "A field is missing or a scope is malformed",
			content = @Content(mediaType = "application/json", examples = @ExampleObject("""
					{"error_code":"invalid_input","message":"Field 'ownerId' is not valid.","details":{"field":"ownerId"}}""")))
	@ApiResponse(responseCode = "403", description = "The caller lacks governance:admin:write or a scope it grants",
			content = @Content(mediaType = "application/json", examples = @ExampleObject(FORBIDDEN_EXAMPLE)))
	@PostMapping
	public ResponseEntity<CreatedApiKeyView> create(@AuthenticationPrincipal CallerIdentity caller,
			@Valid @RequestBody CreateApiKey request) {
		ScopeSet scopes = grantable(caller, ScopeSet.parse(request.scopes()));
		CreatedApiKey created = this.keys.create(request.ownerId(), request.ownerLabel(), scopes,
				request.rateLimitRpm(), request.expiresAt());
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new CreatedApiKeyView(ApiKeyView.of(created.key(), false), created.secret()));
	}

	/** A new secret for the same owner, scopes, limit and expiry; the old key stops working at once. */
	@Operation(summary = "Rotate an API key",
			description = "A new key with a new secret and the same owner, scopes, limit and expiry; the old key is "
					+ "revoked at once. Needs scope governance:admin:write and every scope of the key.")
	@ApiResponse(responseCode = "201", description = "The new key and its secret, shown this once",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedApiKeyView.class),
					examples = @ExampleObject(CREATED_EXAMPLE)))
	@ApiResponse(responseCode = "403", description = "The caller lacks governance:admin:write or a scope of the key",
			content = @Content(mediaType = "application/json", examples = @ExampleObject(FORBIDDEN_EXAMPLE)))
	@ApiResponse(responseCode = "404", description = "No active key has this id",
			content = @Content(mediaType = "application/json", examples = @ExampleObject(NOT_FOUND_EXAMPLE)))
	@ApiResponse(responseCode = "409", description = "The key is declared in configuration",
			content = @Content(mediaType = "application/json", examples = @ExampleObject(CONFLICT_EXAMPLE)))
	@PostMapping("/{id}/rotate")
	public ResponseEntity<CreatedApiKeyView> rotate(@AuthenticationPrincipal CallerIdentity caller,
			@PathVariable String id) {
		ApiKey old = storedKey(id);
		ScopeSet scopes = grantable(caller, old.scopes());
		CreatedApiKey created = this.keys.create(old.ownerId(), old.ownerLabel(), scopes, old.rateLimitRpm(),
				old.expiresAt());
		this.keys.revoke(old.id());
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new CreatedApiKeyView(ApiKeyView.of(created.key(), false), created.secret()));
	}

	@Operation(summary = "Revoke an API key",
			description = "The key stops working at once on this replica, and on the others within "
					+ "mcp.governance.api-keys.cache-ttl (at once with broadcast-revocations). Needs scope governance:admin:write.")
	@ApiResponse(responseCode = "204", description = "Revoked")
	@ApiResponse(responseCode = "403", description = "The caller lacks governance:admin:write", content = @Content)
	@ApiResponse(responseCode = "404", description = "No active key has this id",
			content = @Content(mediaType = "application/json", examples = @ExampleObject(NOT_FOUND_EXAMPLE)))
	@ApiResponse(responseCode = "409", description = "The key is declared in configuration",
			content = @Content(mediaType = "application/json", examples = @ExampleObject(CONFLICT_EXAMPLE)))
	@DeleteMapping("/{id}")
	public ResponseEntity<Void> revoke(@PathVariable String id) {
		storedKey(id);
		this.keys.revoke(id);
		return ResponseEntity.noContent().build();
	}

	private ApiKey storedKey(String id) {
		Optional<ApiKey> key = this.keys.list().stream().filter((candidate) -> candidate.id().equals(id)).findFirst();
		if (key.isEmpty() || key.get().revokedAt() != null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No active API key has this id.");
		}
		if (this.keys.isDeclared(id)) {
			throw new ResponseStatusException(HttpStatus.CONFLICT,
					"This key is declared in configuration; change or remove it there.");
		}
		return key.get();
	}

	private static ScopeSet grantable(CallerIdentity caller, ScopeSet requested) {
		for (Scope scope : requested.scopes()) {
			if (!caller.holds(scope)) {
				throw new ResponseStatusException(HttpStatus.FORBIDDEN,
						"The caller cannot grant " + scope + ", which it does not hold itself.");
			}
		}
		return requested;
	}

	@ExceptionHandler(MalformedScopeException.class)
	ResponseEntity<Map<String, Object>> malformedScope(MalformedScopeException ex) {
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage(), Map.of("field", "scopes"));
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException ex) {
		FieldError field = ex.getBindingResult().getFieldError();
		String name = (field != null) ? field.getField() : "body";
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", "Field '" + name + "' is not valid.",
				Map.of("field", name));
	}

	@ExceptionHandler(ResponseStatusException.class)
	ResponseEntity<Map<String, Object>> refused(ResponseStatusException ex) {
		String code = switch (ex.getStatusCode().value()) {
			case 403 -> "forbidden";
			case 404 -> "not_found";
			case 409 -> "conflict";
			default -> "invalid_input";
		};
		return AdminApi.error(HttpStatus.valueOf(ex.getStatusCode().value()), code, ex.getReason(), Map.of());
	}

}
