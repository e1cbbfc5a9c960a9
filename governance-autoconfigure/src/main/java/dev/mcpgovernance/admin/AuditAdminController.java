package dev.mcpgovernance.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import dev.mcpgovernance.audit.AuditChainVerifier;
import dev.mcpgovernance.audit.AuditChainVerifier.Verification;
import dev.mcpgovernance.audit.AuditQuery;
import dev.mcpgovernance.audit.AuditQueryService;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail over REST (scope governance:admin:read): pages of records by owner, tool, outcome
 * and time range, newest first, and the hash-chain verification.
 */
@RestController
@RequestMapping("${" + GovernanceAdminProperties.PREFIX + ".base-path:/mcp-governance/admin}/audit")
class AuditAdminController {

	private final AuditQueryService queries;

	private final AuditChainVerifier verifier;

	public AuditAdminController(AuditQueryService queries, AuditChainVerifier verifier) {
		this.queries = queries;
		this.verifier = verifier;
	}

	/** {@code from} and {@code to} are ISO-8601 instants ({@code 2025-01-31T00:00:00Z}); {@code to} is exclusive. */
	@GetMapping
	public AuditQuery.Page find(@RequestParam(required = false) String owner,
			@RequestParam(required = false) String tool, @RequestParam(required = false) String outcome,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		return this.queries.find(new AuditQuery(owner, tool, outcome, instant(from), instant(to), page, size));
	}

	@GetMapping("/verify")
	public Verification verify() {
		return this.verifier.verify();
	}

	private static Instant instant(String text) {
		return (text != null && !text.isBlank()) ? Instant.parse(text) : null;
	}

	@ExceptionHandler({ IllegalArgumentException.class, DateTimeParseException.class })
	ResponseEntity<Map<String, Object>> invalid(RuntimeException ex) {
		String message = (ex instanceof DateTimeParseException) ? "from and to must be ISO-8601 instants."
				: ex.getMessage();
		return ResponseEntity.badRequest()
			.body(Map.of("error_code", "invalid_input", "message", message, "details", Map.of()));
	}

}
