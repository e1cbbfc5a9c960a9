package dev.mcpgovernance.stdio;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * On STDIO, standard output is the JSON-RPC channel: a banner or a console log line there corrupts
 * the protocol. When the server runs on STDIO this switches both off, unless the application set
 * them itself; write logs to a file ({@code logging.file.name}) instead.
 */
class StdioConsoleEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STDIO_PROPERTY = "spring.ai.mcp.server.stdio";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(STDIO_PROPERTY, Boolean.class, false)) {
			return;
		}
		// Added last: anything the application configured wins.
		environment.getPropertySources()
			.addLast(new MapPropertySource("mcpGovernanceStdioConsole",
					Map.of("spring.main.banner-mode", "off", "logging.pattern.console", "")));
	}

}
