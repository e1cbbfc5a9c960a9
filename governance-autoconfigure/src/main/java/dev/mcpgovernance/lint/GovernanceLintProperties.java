package dev.mcpgovernance.lint;

import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The governance report logged at start-up, and the lint that fails a CI build on its warnings. */
@ConfigurationProperties(prefix = GovernanceLintProperties.PREFIX)
@Validated
public class GovernanceLintProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".lint";

	/**
	 * Whether to run as the lint: start the application context without a web server, print the
	 * governance report to standard output and exit, with status 1 when it has warnings and 0
	 * otherwise. Meant for CI, e.g. java -jar app.jar --mcp.governance.lint.enabled=true.
	 */
	private boolean enabled = false;

	/** Whether to log the governance report (tools, endpoints, stores, warnings) once the application is ready. */
	private boolean startupReport = true;

	/**
	 * Actions that only read. A tool whose scope names another action counts as destructive in the
	 * report, whatever its MCP hints say.
	 */
	@NotNull
	private List<String> readActions = new ArrayList<>(List.of("read", "list", "get", "search", "query", "view",
			"describe"));

	/**
	 * Actions that change data. A destructive tool (by its MCP destructiveHint, the default of
	 * @McpTool, or by an action that is not a read action) whose scope names none of these is a warning.
	 */
	@NotNull
	private List<String> writeActions = new ArrayList<>(List.of("write", "create", "update", "delete", "cancel",
			"refund", "remove", "revoke", "send", "execute", "approve", "reject", "manage"));

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isStartupReport() {
		return this.startupReport;
	}

	public void setStartupReport(boolean startupReport) {
		this.startupReport = startupReport;
	}

	public List<String> getReadActions() {
		return this.readActions;
	}

	public void setReadActions(List<String> readActions) {
		this.readActions = readActions;
	}

	public List<String> getWriteActions() {
		return this.writeActions;
	}

	public void setWriteActions(List<String> writeActions) {
		this.writeActions = writeActions;
	}

}
