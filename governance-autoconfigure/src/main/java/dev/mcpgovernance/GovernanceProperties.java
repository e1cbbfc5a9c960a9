package dev.mcpgovernance;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The core settings of MCP Governance. */
@ConfigurationProperties(prefix = GovernanceProperties.PREFIX)
@Validated
public class GovernanceProperties {

	public static final String PREFIX = "mcp.governance";

	/** Whether MCP governance is enabled. Turning it off leaves the MCP endpoints unprotected. */
	private boolean enabled = true;

	/** Domain of @GovernedTool scopes that do not name one, e.g. "orders". */
	@Pattern(regexp = "[a-z][a-z0-9_.-]{0,62}", message = "must be a lower-case word such as 'orders'")
	private String domain;

	/** What happens to a tool without @GovernedTool: refused to every caller, or allowed to any authenticated caller. */
	@NotNull
	private Exposure exposure = Exposure.DENY_UNGOVERNED;

	/**
	 * Origins allowed to call the MCP endpoints (patterns as in CORS, '*' matches a port or a
	 * subdomain). A request with an Origin header outside this list is refused with 403
	 * (DNS-rebinding protection); requests without Origin, such as from non-browser clients, pass.
	 */
	@NotNull
	private List<String> allowedOrigins = new ArrayList<>(List.of("http://localhost:*", "https://localhost:*",
			"http://127.0.0.1:*", "https://127.0.0.1:*", "http://[::1]:*", "https://[::1]:*"));

	/**
	 * Hosts the MCP endpoints answer to, as the request names them (Host header, or the forwarded
	 * host where forwarded headers are trusted): 'name' for any port or 'name:port', '*' matching any
	 * part ('*.example.com', 'example.com:*'), '*' alone for every host. The host of
	 * mcp.governance.resource is added when set. Other hosts get 403 (DNS-rebinding protection for
	 * requests without an Origin header).
	 */
	@NotNull
	private List<String> allowedHosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));

	/**
	 * Canonical URI of this MCP server (its RFC 8707 resource identifier), e.g.
	 * https://mcp.example.com/mcp. When unset it is derived from each request.
	 */
	private URI resource;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDomain() {
		return this.domain;
	}

	public void setDomain(String domain) {
		this.domain = domain;
	}

	public Exposure getExposure() {
		return this.exposure;
	}

	public void setExposure(Exposure exposure) {
		this.exposure = exposure;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public List<String> getAllowedHosts() {
		return this.allowedHosts;
	}

	public void setAllowedHosts(List<String> allowedHosts) {
		this.allowedHosts = allowedHosts;
	}

	public URI getResource() {
		return this.resource;
	}

	public void setResource(URI resource) {
		this.resource = resource;
	}

}
