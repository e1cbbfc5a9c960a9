package dev.mcpgovernance.stdio;

import dev.mcpgovernance.GovernanceProperties;
import dev.mcpgovernance.identity.apikey.ApiKeyAuthenticator;
import dev.mcpgovernance.identity.apikey.GovernanceIdentityAutoConfiguration;
import dev.mcpgovernance.identity.ProcessCallerSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The caller of a server launched over STDIO: the API key in the process environment. Active only
 * with {@code spring.ai.mcp.server.stdio=true}, when no HTTP transport exists.
 */
@AutoConfiguration(after = GovernanceIdentityAutoConfiguration.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = StdioConsoleEnvironmentPostProcessor.STDIO_PROPERTY)
@EnableConfigurationProperties(GovernanceStdioProperties.class)
public class GovernanceStdioAutoConfiguration {

	private static final Log logger = LogFactory.getLog(GovernanceStdioAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	public ProcessCallerSource stdioApiKeyCallerSource(Environment environment, GovernanceStdioProperties properties,
			ObjectProvider<ApiKeyAuthenticator> authenticator) {
		String apiKey = environment.getProperty(properties.getApiKeyVariable());
		if (apiKey == null) {
			logger.warn("STDIO server started without " + properties.getApiKeyVariable()
					+ ": every governed tool will refuse its calls");
		}
		return new StdioApiKeyCallerSource(apiKey, authenticator.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	public StdioKeyCredentialKind stdioKeyCredentialKind(ProcessCallerSource source) {
		return new StdioKeyCredentialKind(source);
	}

}
