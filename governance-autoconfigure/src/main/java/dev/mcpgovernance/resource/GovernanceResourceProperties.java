package dev.mcpgovernance.resource;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpgovernance.GovernanceProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Scopes for resources and prompts that carry no annotation: those registered in code as
 * specifications, or contributed by a library. A malformed scope stops start-up.
 */
@ConfigurationProperties(prefix = GovernanceResourceProperties.PREFIX)
@Validated
public class GovernanceResourceProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".resources";

	/**
	 * Scope required to read each resource registered in code, by its URI or URI template (in
	 * brackets in YAML: "[orders://{orderId}]": orders:order:read).
	 */
	private Map<String, String> uris = new LinkedHashMap<>();

	/** Scope required to get each prompt registered in code, by its name (summarize_order: orders:order:read). */
	private Map<String, String> prompts = new LinkedHashMap<>();

	public Map<String, String> getUris() {
		return this.uris;
	}

	public void setUris(Map<String, String> uris) {
		this.uris = uris;
	}

	public Map<String, String> getPrompts() {
		return this.prompts;
	}

	public void setPrompts(Map<String, String> prompts) {
		this.prompts = prompts;
	}

}
