package dev.mcpgovernance.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.mcpgovernance.lint.GovernanceReport;
import dev.mcpgovernance.lint.GovernanceReporter;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code mcp-governance} in {@code /actuator/info}: the transport and its endpoints, the kinds of
 * credentials accepted, the stores in use, the exposed tools (scope, audit, rate limit) and the
 * scopes they require. Never a secret, a key, a caller or an issuer; and not the lint warnings,
 * which would tell an attacker where the server is weak.
 */
class GovernanceInfoContributor implements InfoContributor {

	private final GovernanceReporter reporter;

	public GovernanceInfoContributor(GovernanceReporter reporter) {
		this.reporter = reporter;
	}

	@Override
	public void contribute(Info.Builder builder) {
		GovernanceReport report = this.reporter.report();
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("transport", report.transport());
		info.put("endpoints", report.endpoints());
		info.put("authentication", report.authentication());
		info.put("stores", report.stores());
		info.put("ungovernedTools", report.exposure());
		List<Map<String, Object>> tools = report.tools().stream().map(GovernanceInfoContributor::tool).toList();
		info.put("tools", tools);
		info.put("scopes", new TreeSet<>(report.scopes()));
		builder.withDetail("mcp-governance", info);
	}

	private static Map<String, Object> tool(GovernanceReport.ToolEntry tool) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("name", tool.name());
		entry.put("scope", tool.scope());
		entry.put("destructive", tool.destructive());
		entry.put("audit", tool.audit());
		entry.put("rateLimit", tool.rateLimit());
		entry.put("redaction", tool.redaction());
		return entry;
	}

}
