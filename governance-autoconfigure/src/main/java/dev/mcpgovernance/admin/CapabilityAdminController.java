package dev.mcpgovernance.admin;

import java.util.Map;

import dev.mcpgovernance.admin.AdminApi.MintCapability;
import dev.mcpgovernance.capability.CapabilityGrant;
import dev.mcpgovernance.capability.CapabilityIssuer;
import dev.mcpgovernance.capability.MintedCapability;
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
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mints root capability tokens over REST (scope governance:capability:mint). A caller can only
 * grant scopes it holds itself, so minting never widens anyone's rights; the token is in the
 * response, once, and never stored.
 */
@RestController
@RequestMapping("${" + GovernanceAdminProperties.PREFIX + ".base-path:/mcp-governance/admin}/capabilities")
class CapabilityAdminController {

	private final CapabilityIssuer issuer;

	public CapabilityAdminController(CapabilityIssuer issuer) {
		this.issuer = issuer;
	}

	@PostMapping
	public ResponseEntity<Object> mint(@AuthenticationPrincipal CallerIdentity caller,
			@Valid @RequestBody MintCapability request) {
		ScopeSet scopes = ScopeSet.parse(request.scopes());
		for (Scope scope : scopes.scopes()) {
			if (!caller.holds(scope)) {
				return AdminApi.error(HttpStatus.FORBIDDEN, "forbidden",
						"The caller cannot grant " + scope + ", which it does not hold itself.", Map.of());
			}
		}
		MintedCapability minted = this.issuer.mint(new CapabilityGrant(request.subject(), request.label(), scopes,
				request.tools(), request.ttl(), request.limits()));
		return ResponseEntity.status(HttpStatus.CREATED).body(minted);
	}

	@ExceptionHandler(MalformedScopeException.class)
	ResponseEntity<Object> malformedScope(MalformedScopeException ex) {
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage(), Map.of("field", "scopes"));
	}

	/** The grant's own checks: a tool name, a limit or a ttl longer than the server allows. */
	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Object> invalidGrant(IllegalArgumentException ex) {
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage() + ".", Map.of());
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<Object> invalid(MethodArgumentNotValidException ex) {
		FieldError field = ex.getBindingResult().getFieldError();
		String name = (field != null) ? field.getField() : "body";
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", "Field '" + name + "' is not valid.",
				Map.of("field", name));
	}

}
