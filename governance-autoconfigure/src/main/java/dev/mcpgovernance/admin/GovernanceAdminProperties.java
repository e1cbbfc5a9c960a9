package dev.mcpgovernance.admin;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The admin REST API (API keys). */
@ConfigurationProperties(prefix = GovernanceAdminProperties.PREFIX)
@Validated
public class GovernanceAdminProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".admin";

	/**
	 * Whether to serve the admin REST API. Off unless asked for: it is one more HTTP surface, and it
	 * can mint credentials.
	 */
	private boolean enabled = false;

	/** Path under which the admin API is served; callers need scope governance:admin:read or :write. */
	@NotNull
	@Pattern(regexp = "/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]", message = "must start with '/' and not end with '/'")
	private String basePath = "/mcp-governance/admin";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBasePath() {
		return this.basePath;
	}

	public void setBasePath(String basePath) {
		this.basePath = basePath;
	}

}
