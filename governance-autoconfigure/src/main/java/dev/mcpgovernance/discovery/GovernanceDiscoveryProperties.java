package dev.mcpgovernance.discovery;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** How callers find the tools: the listing mode and the meta-tools' search. */
@ConfigurationProperties(prefix = GovernanceDiscoveryProperties.PREFIX)
@Validated
public class GovernanceDiscoveryProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".discovery";

	/**
	 * What tools/list shows: "direct" lists every tool the caller may call; "progressive" lists only
	 * the meta-tools discover_tools, get_tool_schema and execute_tool.
	 */
	@NotNull
	private DiscoveryMode mode = DiscoveryMode.DIRECT;

	/** Most tools a discover_tools search answers with. */
	@Min(1)
	@Max(500)
	private int maxResults = 20;

	/** Most similar tool names suggested when get_tool_schema or execute_tool names no tool the caller can use. */
	@Min(0)
	@Max(20)
	private int maxSuggestions = 3;

	public DiscoveryMode getMode() {
		return this.mode;
	}

	public void setMode(DiscoveryMode mode) {
		this.mode = mode;
	}

	public int getMaxResults() {
		return this.maxResults;
	}

	public void setMaxResults(int maxResults) {
		this.maxResults = maxResults;
	}

	public int getMaxSuggestions() {
		return this.maxSuggestions;
	}

	public void setMaxSuggestions(int maxSuggestions) {
		this.maxSuggestions = maxSuggestions;
	}

}
