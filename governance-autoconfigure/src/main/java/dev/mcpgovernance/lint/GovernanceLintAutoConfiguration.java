package dev.mcpgovernance.lint;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.audit.AuditWriter;
import dev.mcpgovernance.identity.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.ApiKeyStore;
import dev.mcpgovernance.identity.CapabilityAuthenticator;
import dev.mcpgovernance.identity.JwtAuthenticator;
import dev.mcpgovernance.identity.ProcessCallerSource;
import dev.mcpgovernance.ratelimit.GovernanceRateLimitProperties;
import dev.mcpgovernance.ratelimit.ToolRateLimits;
import dev.mcpgovernance.redaction.Redactor;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.SelfGovernedTools;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The governance report: logged at start-up, printed by the lint mode, shown by the
 * {@code mcp-governance} info contributor.
 */
@AutoConfiguration(after = GovernanceToolAutoConfiguration.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBean(GovernedToolRegistry.class)
@EnableConfigurationProperties(GovernanceLintProperties.class)
public class GovernanceLintAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public GovernanceReporter governanceReporter(Environment environment, GovernedToolRegistry registry,
			GovernanceProperties governance, GovernanceLintProperties lint, ObjectProvider<McpSyncServer> syncServer,
			ObjectProvider<McpStatelessSyncServer> statelessServer, ObjectProvider<Redactor> redactor,
			ObjectProvider<ToolRateLimits> toolRateLimits,
			ObjectProvider<GovernanceRateLimitProperties> rateLimitProperties,
			ObjectProvider<ApiKeyAuthenticator> apiKeys, ObjectProvider<ApiKeyStore> apiKeyStore,
			ObjectProvider<JwtAuthenticator> jwt, ObjectProvider<ProcessCallerSource> processCaller,
			ObjectProvider<CapabilityAuthenticator> capabilities, ObjectProvider<AuditWriter> auditWriter,
			ObjectProvider<SelfGovernedTools> selfGoverned) {
		return new GovernanceReporter(environment, registry, governance, lint,
				new GovernanceReporter.Collaborators(syncServer, statelessServer, redactor, toolRateLimits,
						rateLimitProperties, apiKeys, apiKeyStore, jwt, processCaller, capabilities, auditWriter,
						selfGoverned));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(prefix = GovernanceLintProperties.PREFIX, name = "startup-report", matchIfMissing = true)
	public StartupReport governanceStartupReport(GovernanceReporter reporter) {
		return new StartupReport(reporter);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(prefix = GovernanceLintProperties.PREFIX, name = "enabled")
	public GovernanceLint governanceLint(GovernanceReporter reporter) {
		return new GovernanceLint(reporter);
	}

}
