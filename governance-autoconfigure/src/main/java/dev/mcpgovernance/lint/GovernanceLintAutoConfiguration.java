package dev.mcpgovernance.lint;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.GovernanceReportContributor;
import dev.mcpgovernance.identity.CredentialKind;
import dev.mcpgovernance.resource.GovernanceResourceAutoConfiguration;
import dev.mcpgovernance.resource.GovernedResourceRegistry;
import dev.mcpgovernance.security.GovernanceOtherPathsAutoConfiguration;
import dev.mcpgovernance.security.GovernanceSecurityProperties;
import dev.mcpgovernance.tool.GovernanceToolAutoConfiguration;
import dev.mcpgovernance.tool.GovernedToolRegistry;
import dev.mcpgovernance.tool.SelfGovernedTools;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The governance report: logged at start-up, printed by the lint mode, shown by the
 * {@code mcp-governance} info contributor.
 */
@AutoConfiguration(after = { GovernanceToolAutoConfiguration.class, GovernanceResourceAutoConfiguration.class })
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBean(GovernedToolRegistry.class)
@EnableConfigurationProperties(GovernanceLintProperties.class)
public class GovernanceLintAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public GovernanceReporter governanceReporter(Environment environment, GovernedToolRegistry registry,
			GovernanceProperties governance, GovernanceLintProperties lint, ObjectProvider<McpSyncServer> syncServer,
			ObjectProvider<McpStatelessSyncServer> statelessServer,
			ObjectProvider<CredentialKind> credentialKinds, ObjectProvider<GovernanceReportContributor> contributors,
			ObjectProvider<SelfGovernedTools> selfGoverned, ObjectProvider<GovernedResourceRegistry> resources,
			ListableBeanFactory beans) {
		GovernedResourceRegistry resourceRegistry = resources.getIfAvailable();
		return new GovernanceReporter(environment, registry, governance, lint,
				new GovernanceReporter.Collaborators(syncServer, statelessServer, credentialKinds,
						contributors, selfGoverned, () -> otherPaths(beans)),
				(resourceRegistry != null) ? new ResourceFindings(resourceRegistry, governance.getExposure(),
						syncServer, statelessServer) : null);
	}

	/** Read when the report is made, once every filter chain exists. */
	private static String otherPaths(ListableBeanFactory beans) {
		if (beans.containsBean(GovernanceOtherPathsAutoConfiguration.CHAIN_NAME)) {
			return "left as they were (the application has no security of its own; "
					+ GovernanceSecurityProperties.PREFIX + ".leave-other-paths)";
		}
		return (beans.getBeanNamesForType(SecurityFilterChain.class).length > 0)
				? "the application's own security, or Spring Boot's default chain" : null;
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
