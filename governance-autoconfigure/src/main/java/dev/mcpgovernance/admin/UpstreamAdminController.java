package dev.mcpgovernance.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.connector.openapi.auth.DownstreamAuth;
import dev.mcpgovernance.gateway.McpGateway;
import dev.mcpgovernance.gateway.UpstreamDefinition;
import dev.mcpgovernance.gateway.UpstreamStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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
 * The gateway's upstreams at run time: list, add, remove, refresh. Every change goes through the
 * {@link McpGateway}'s lock, so concurrent requests cannot corrupt its registry, and the server
 * sends {@code notifications/tools/list_changed} for the tools that come and go. An upstream added
 * here authenticates with no credential (a credential in a request body would end up in request
 * logs); one that needs a credential is declared in configuration. Nothing added here survives a
 * restart.
 */
@RestController
@RequestMapping("${" + GovernanceAdminProperties.PREFIX + ".base-path:/mcp-governance/admin}/upstreams")
public class UpstreamAdminController {

	private final McpGateway gateway;

	public UpstreamAdminController(McpGateway gateway) {
		this.gateway = gateway;
	}

	@GetMapping
	public List<UpstreamView> list() {
		Map<String, UpstreamStatus> statuses = this.gateway.statuses()
			.stream()
			.collect(Collectors.toMap(UpstreamStatus::domain, Function.identity()));
		return this.gateway.definitions()
			.stream()
			.filter((definition) -> statuses.containsKey(definition.domain()))
			.map((definition) -> UpstreamView.of(definition, statuses.get(definition.domain())))
			.toList();
	}

	@PostMapping
	public ResponseEntity<UpstreamView> add(@Valid @RequestBody AddUpstream request) {
		UpstreamDefinition definition = UpstreamDefinition.of(request.domain(), uri(request.url()), request.transport(),
				request.description(), orEmpty(request.allowedTools()), orEmpty(request.deniedTools()), Map.of(),
				DownstreamAuth.none(), DownstreamAuth.none());
		UpstreamStatus status = this.gateway.add(definition);
		return ResponseEntity.status(HttpStatus.CREATED).body(UpstreamView.of(definition, status));
	}

	@DeleteMapping("/{domain}")
	public ResponseEntity<Void> remove(@PathVariable String domain) {
		if (!this.gateway.remove(domain)) {
			return AdminApi.error(HttpStatus.NOT_FOUND, "not_found", "No upstream has this domain.", Map.of());
		}
		return ResponseEntity.noContent().build();
	}

	/** Reads every upstream's tools again now, instead of at the next scheduled refresh. */
	@PostMapping("/refresh")
	public Map<String, Object> refresh() {
		return this.gateway.reload();
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

	@ExceptionHandler(GovernanceConfigurationException.class)
	ResponseEntity<Map<String, Object>> invalidUpstream(GovernanceConfigurationException ex) {
		// The message names what the caller sent (domain, glob), never anything of the upstream.
		return AdminApi.error(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage(), Map.of());
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
	 */
	public record AddUpstream(@NotBlank String domain, @NotBlank String url, UpstreamDefinition.Transport transport,
			String description, List<@NotNull @NotBlank String> allowedTools,
			List<@NotNull @NotBlank String> deniedTools) {
	}

	/**
	 * An upstream as the API shows it: its URL without user info or query (where credentials could
	 * hide), never a credential.
	 * @param state {@code up} or {@code down}
	 */
	public record UpstreamView(String domain, String url, String transport, String description, String state,
			int tools, String breaker, String lastError) {

		static UpstreamView of(UpstreamDefinition definition, UpstreamStatus status) {
			URI url = definition.url();
			String shown = url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
					+ ((url.getPath() != null) ? url.getPath() : "");
			return new UpstreamView(definition.domain(), shown, definition.transport().name(), definition.description(),
					status.up() ? "up" : "down", status.exposedTools(), status.breaker(), status.lastError());
		}

	}

}
