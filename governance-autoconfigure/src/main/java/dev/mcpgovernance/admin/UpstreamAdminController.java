package dev.mcpgovernance.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.gateway.McpGateway;
import dev.mcpgovernance.gateway.RuntimeUpstream;
import dev.mcpgovernance.gateway.RuntimeUpstreams;
import dev.mcpgovernance.gateway.UpstreamConflictException;
import dev.mcpgovernance.gateway.UpstreamDefinition;
import dev.mcpgovernance.gateway.UpstreamStatus;
import dev.mcpgovernance.identity.CallerIdentity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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

/**
 * The gateway's upstreams at run time: list, add, remove, refresh. An upstream added here is stored
 * ({@link RuntimeUpstreams}: a table every replica reads when there is a DataSource), exposed on
 * this replica at once and on the others at their next refresh; removal likewise. Every change of a
 * replica's upstreams goes through the {@link McpGateway}'s lock, and the store's key decides which
 * of two concurrent additions of one domain wins.
 *
 * <p>A request never carries a secret: a credential is the name of one declared in configuration,
 * a URL with user info or a query is refused, and so is any field this API does not know. Upstreams
 * declared in configuration are listed but can be neither replaced nor removed here. Every change,
 * and every refused one, is recorded in the audit trail ({@link AdminAuditTrail}).
 */
@RestController
@RequestMapping("${" + GovernanceAdminProperties.PREFIX + ".base-path:/mcp-governance/admin}/upstreams")
public class UpstreamAdminController {

	private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

	private final McpGateway gateway;

	private final RuntimeUpstreams runtime;

	private final AdminAuditTrail audit;

	public UpstreamAdminController(McpGateway gateway, RuntimeUpstreams runtime, AdminAuditTrail audit) {
		this.gateway = gateway;
		this.runtime = runtime;
		this.audit = audit;
	}

	/**
	 * This replica's upstreams, then the stored ones it does not run (yet, or because they break a rule
	 * of its configuration) as {@code pending}.
	 */
	@GetMapping
	public List<UpstreamView> list() {
		Map<String, UpstreamStatus> statuses = this.gateway.statuses()
			.stream()
			.collect(Collectors.toMap(UpstreamStatus::domain, Function.identity()));
		Map<String, RuntimeUpstream> stored = this.runtime.stored()
			.stream()
			.collect(Collectors.toMap(RuntimeUpstream::domain, Function.identity(), (a, b) -> a, LinkedHashMap::new));
		List<UpstreamView> views = new ArrayList<>();
		for (UpstreamDefinition definition : this.gateway.definitions()) {
			UpstreamStatus status = statuses.get(definition.domain());
			if (status != null) {
				views.add(UpstreamView.of(definition.domain(), definition.url(), definition.transport(),
						definition.description(), origin(definition.domain(), stored), stored.get(definition.domain()),
						status));
			}
		}
		stored.values()
			.stream()
			.filter((upstream) -> !statuses.containsKey(upstream.domain()))
			.forEach((upstream) -> views.add(UpstreamView.of(upstream.domain(), upstream.url(), upstream.transport(),
					upstream.description(), "admin", upstream, null)));
		return views;
	}

	@PostMapping
	public ResponseEntity<Object> add(@AuthenticationPrincipal CallerIdentity caller,
			@Valid @RequestBody AddUpstream request) {
		Instant started = Instant.now();
		String target = "upstream-" + request.domain();
		Map<String, Object> shape = request.shape();
		if (request.unknown() != null && !request.unknown().isEmpty()) {
			String field = request.unknown().keySet().iterator().next();
			String shown = FIELD_NAME.matcher(field).matches() ? field : "?";
			refused(caller, "admin.upstreams.add", target, "invalid_input", started, shape);
			return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", "Field '" + shown
					+ "' is not accepted: secrets are never sent here; name a credential declared in configuration.",
					Map.of("field", shown));
		}
		try {
			RuntimeUpstream upstream = new RuntimeUpstream(request.domain(), uri(request.url()),
					(request.transport() != null) ? request.transport() : UpstreamDefinition.Transport.STREAMABLE,
					request.description(), orEmpty(request.allowedTools()), orEmpty(request.deniedTools()),
					orEmpty(request.scopes()), request.credential(), started, (caller != null) ? caller.keyId() : null,
					(caller != null) ? caller.ownerId() : null,
					new RuntimeUpstream.Rules(orEmpty(request.allowedResources()), orEmpty(request.deniedResources()),
							orEmpty(request.resourceScopes())),
					new RuntimeUpstream.Rules(orEmpty(request.allowedPrompts()), orEmpty(request.deniedPrompts()),
							orEmpty(request.promptScopes())));
			UpstreamDefinition definition = this.runtime.add(upstream);
			this.audit.record(caller, "admin.upstreams.add", AdminApi.UPSTREAM_WRITE, target, "ok", null, started, shape);
			this.gateway.sync();
			Optional<UpstreamStatus> status = this.gateway.statuses()
				.stream()
				.filter((candidate) -> candidate.domain().equals(upstream.domain()))
				.findFirst();
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(UpstreamView.of(upstream.domain(), definition.url(), definition.transport(),
						definition.description(), "admin", upstream, status.orElse(null)));
		}
		catch (GovernanceConfigurationException ex) {
			refused(caller, "admin.upstreams.add", target, "invalid_input", started, shape);
			throw ex;
		}
		catch (UpstreamConflictException ex) {
			refused(caller, "admin.upstreams.add", target, "conflict", started, shape);
			throw ex;
		}
	}

	@DeleteMapping("/{domain}")
	public ResponseEntity<Object> remove(@AuthenticationPrincipal CallerIdentity caller, @PathVariable String domain) {
		Instant started = Instant.now();
		String target = "upstream-" + domain;
		boolean removed;
		try {
			removed = this.runtime.remove(domain);
		}
		catch (UpstreamConflictException ex) {
			refused(caller, "admin.upstreams.remove", target, "conflict", started, Map.of());
			throw ex;
		}
		if (!removed) {
			refused(caller, "admin.upstreams.remove", target, "not_found", started, Map.of());
			return AdminApi.error(HttpStatus.NOT_FOUND, "not_found", "No upstream added through this API has this domain.",
					Map.of());
		}
		this.audit.record(caller, "admin.upstreams.remove", AdminApi.UPSTREAM_WRITE, target, "ok", null, started,
				Map.of());
		this.gateway.sync();
		return ResponseEntity.noContent().build();
	}

	/**
	 * Reads the stored upstreams and every upstream's tools again now, instead of at the next
	 * scheduled refresh.
	 */
	@PostMapping("/refresh")
	public Map<String, Object> refresh() {
		return this.gateway.reload();
	}

	private void refused(CallerIdentity caller, String action, String target, String errorCode, Instant started,
			Map<String, Object> shape) {
		String outcome = "invalid_input".equals(errorCode) ? "invalid_input" : "denied";
		this.audit.record(caller, action, AdminApi.UPSTREAM_WRITE, target, outcome, errorCode, started, shape);
	}

	private String origin(String domain, Map<String, RuntimeUpstream> stored) {
		if (this.runtime.isConfigured(domain)) {
			return "config";
		}
		return stored.containsKey(domain) ? "admin" : "runtime";
	}

	private static URI uri(String url) {
		try {
			return new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new GovernanceConfigurationException("The url is not a valid URI.", "Give an absolute http(s) url.");
		}
	}

	private static List<String> orEmpty(List<String> globs) {
		return (globs != null) ? globs : List.of();
	}

	private static Map<String, String> orEmpty(Map<String, String> scopes) {
		return (scopes != null) ? scopes : Map.of();
	}

	@ExceptionHandler(GovernanceConfigurationException.class)
	ResponseEntity<Map<String, Object>> invalidUpstream(GovernanceConfigurationException ex) {
		// The message names what the caller sent (domain, glob), never anything of the upstream or a credential.
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage(), Map.of());
	}

	@ExceptionHandler(UpstreamConflictException.class)
	ResponseEntity<Map<String, Object>> conflict(UpstreamConflictException ex) {
		return AdminApi.error(HttpStatus.CONFLICT, "conflict", ex.getMessage(), Map.of());
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException ex) {
		FieldError field = ex.getBindingResult().getFieldError();
		String name = (field != null) ? field.getField() : "body";
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", "Field '" + name + "' is not valid.",
				Map.of("field", name));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException ex) {
		// Jackson's message quotes the input and names classes: not for the caller.
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", "The body is not a valid upstream.", Map.of());
	}

	/**
	 * An upstream to add.
	 * @param transport {@code STREAMABLE} (default) or {@code SSE}
	 * @param allowedTools globs of the tools to expose; all when empty
	 * @param deniedTools globs of the tools never to expose; deny wins
	 * @param scopes scope overrides by tool-name glob: {@code resource:action} in the upstream's domain
	 * @param credential the name of a credential declared in
	 * {@code mcp.governance.gateway.credentials}; none when missing
	 * @param allowedResources globs of the resources and resource templates to expose, matched
	 * against the URI (or URI template) and the name; all when empty
	 * @param deniedResources globs of the resources and resource templates never to expose; deny wins
	 * @param resourceScopes scope overrides by resource glob: {@code resource:action} in the upstream's domain
	 * @param allowedPrompts prompt-name globs to expose; all when empty
	 * @param deniedPrompts prompt-name globs never to expose; deny wins
	 * @param promptScopes scope overrides by prompt-name glob: {@code resource:action} in the upstream's domain
	 * @param unknown any other field, which is refused: a secret must never travel in a request
	 */
	public record AddUpstream(@NotBlank String domain, @NotBlank String url, UpstreamDefinition.Transport transport,
			String description, List<@NotNull @NotBlank String> allowedTools,
			List<@NotNull @NotBlank String> deniedTools, Map<String, @NotNull @NotBlank String> scopes,
			String credential, List<@NotNull @NotBlank String> allowedResources,
			List<@NotNull @NotBlank String> deniedResources, Map<String, @NotNull @NotBlank String> resourceScopes,
			List<@NotNull @NotBlank String> allowedPrompts, List<@NotNull @NotBlank String> deniedPrompts,
			Map<String, @NotNull @NotBlank String> promptScopes, @JsonAnySetter Map<String, Object> unknown) {

		/** The known fields that were sent, for the shape the audit trail keeps. */
		Map<String, Object> shape() {
			Map<String, Object> shape = new LinkedHashMap<>();
			shape.put("domain", this.domain);
			shape.put("url", this.url);
			shape.put("transport", this.transport);
			shape.put("description", this.description);
			shape.put("allowedTools", this.allowedTools);
			shape.put("deniedTools", this.deniedTools);
			shape.put("scopes", (this.scopes != null) ? this.scopes.size() : null);
			shape.put("credential", this.credential);
			shape.put("allowedResources", this.allowedResources);
			shape.put("deniedResources", this.deniedResources);
			shape.put("resourceScopes", (this.resourceScopes != null) ? this.resourceScopes.size() : null);
			shape.put("allowedPrompts", this.allowedPrompts);
			shape.put("deniedPrompts", this.deniedPrompts);
			shape.put("promptScopes", (this.promptScopes != null) ? this.promptScopes.size() : null);
			shape.values().removeIf(java.util.Objects::isNull);
			return shape;
		}

	}

	/**
	 * An upstream as the API shows it: its URL without user info or query (where credentials could
	 * hide), the name of its credential at most, never a secret.
	 * @param origin {@code config} (declared in configuration), {@code admin} (added through this
	 * API, stored) or {@code runtime} (added in code on this replica)
	 * @param state {@code up}, {@code down}, or {@code pending} (stored, not run by this replica)
	 * @param credential the name of its credential, for one added through this API
	 * @param createdBy the key id of whoever added it through this API
	 */
	public record UpstreamView(String domain, String url, String transport, String description, String origin,
			String state, int tools, String breaker, String lastError, String credential, Instant createdAt,
			String createdBy) {

		static UpstreamView of(String domain, URI url, UpstreamDefinition.Transport transport, String description,
				String origin, RuntimeUpstream stored, UpstreamStatus status) {
			String shown = url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
					+ ((url.getPath() != null) ? url.getPath() : "");
			String state = (status == null) ? "pending" : status.up() ? "up" : "down";
			return new UpstreamView(domain, shown, transport.name(), description, origin, state,
					(status != null) ? status.exposedTools() : 0, (status != null) ? status.breaker() : null,
					(status != null) ? status.lastError() : null, (stored != null) ? stored.credential() : null,
					(stored != null) ? stored.createdAt() : null, (stored != null) ? stored.createdByKey() : null);
		}

	}

}
