package dev.mcpgovernance.lint;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In lint mode the application must not serve anything: no web server is started (a CI job needs
 * no port), and the start-up report is not logged besides the printed one. Added last, so that
 * anything the application set itself wins.
 */
class LintModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(GovernanceLintProperties.PREFIX + ".enabled", Boolean.class, false)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("mcpGovernanceLintMode", Map.of("spring.main.web-application-type", "none",
					GovernanceLintProperties.PREFIX + ".startup-report", "false")));
	}

}
