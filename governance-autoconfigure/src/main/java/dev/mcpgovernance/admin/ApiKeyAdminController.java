package dev.mcpgovernance.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mcpgovernance.admin.AdminApi.ApiKeyView;
import dev.mcpgovernance.admin.AdminApi.CreateApiKey;
import dev.mcpgovernance.admin.AdminApi.CreatedApiKeyView;
import dev.mcpgovernance.identity.ApiKey;
import dev.mcpgovernance.identity.ApiKeyManager;
import dev.mcpgovernance.identity.ApiKeyManager.CreatedApiKey;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.scope.MalformedScopeException;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
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
 */
@RestController
@RequestMapping("${" + GovernanceAdminProperties.PREFIX + ".base-path:/mcp-governance/admin}/api-keys")
public class ApiKeyAdminController {

	private final ApiKeyManager keys;

	public ApiKeyAdminController(ApiKeyManager keys) {
		this.keys = keys;
	}

	@GetMapping
	public List<ApiKeyView> list() {
		return this.keys.list().stream().map((key) -> ApiKeyView.of(key, this.keys.isDeclared(key.id()))).toList();
	}

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
		return error(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage(), Map.of("field", "scopes"));
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException ex) {
		FieldError field = ex.getBindingResult().getFieldError();
		String name = (field != null) ? field.getField() : "body";
		return error(HttpStatus.BAD_REQUEST, "invalid_input", "Field '" + name + "' is not valid.",
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
		return error(HttpStatus.valueOf(ex.getStatusCode().value()), code, ex.getReason(), Map.of());
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message,
			Map<String, Object> details) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error_code", code);
		body.put("message", message);
		body.put("details", details);
		return ResponseEntity.status(status).body(body);
	}

}
