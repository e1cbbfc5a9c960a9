package dev.mcpgovernance.stdio;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The STDIO transport's caller. */
@ConfigurationProperties(prefix = GovernanceStdioProperties.PREFIX)
@Validated
public class GovernanceStdioProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".stdio";

	/**
	 * Environment variable holding the API key of the client that launches the server over STDIO.
	 * Without a valid key there every governed tool is refused.
	 */
	@NotBlank
	private String apiKeyVariable = "MCP_GOVERNANCE_API_KEY";

	public String getApiKeyVariable() {
		return this.apiKeyVariable;
	}

	public void setApiKeyVariable(String apiKeyVariable) {
		this.apiKeyVariable = apiKeyVariable;
	}

}
