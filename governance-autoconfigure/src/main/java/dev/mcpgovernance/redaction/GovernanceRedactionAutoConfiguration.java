package dev.mcpgovernance.redaction;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.GovernanceProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link Redactor} that tool results (and, later, audit records) pass through, built from
 * {@code mcp.governance.redaction.*}. A {@code Redactor} bean of your own replaces it.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class)
@ConditionalOnBooleanProperty(prefix = GovernanceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(prefix = GovernanceRedactionProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GovernanceRedactionProperties.class)
public class GovernanceRedactionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public RedactionReportContributor redactionReportContributor() {
		return new RedactionReportContributor();
	}

	@Bean
	@ConditionalOnMissingBean
	public Redactor redactor(GovernanceRedactionProperties properties, ObjectProvider<ObjectMapper> objectMapper) {
		List<String> keys = new ArrayList<>();
		if (properties.isDefaultKeys()) {
			keys.addAll(SensitiveKeys.DEFAULTS);
		}
		keys.addAll(properties.getKeys());
		List<ValuePattern> patterns = new ArrayList<>();
		for (Detector detector : Detector.values()) {
			if (properties.getDetectors().contains(detector)) {
				patterns.add(detector.pattern());
			}
		}
		for (int i = 0; i < properties.getPatterns().size(); i++) {
			patterns.add(compile(properties.getPatterns().get(i), i));
		}
		ObjectMapper mapper = objectMapper.getIfUnique(() -> JsonMapper.builder().findAndAddModules().build());
		return new Redactor(SensitiveKeys.of(keys), patterns, mapper);
	}

	private static ValuePattern compile(GovernanceRedactionProperties.NamedPattern pattern, int index) {
		String property = GovernanceRedactionProperties.PREFIX + ".patterns[" + index + "]";
		try {
			return ValuePattern.of(pattern.getName(), Pattern.compile(pattern.getRegex()));
		}
		catch (PatternSyntaxException ex) {
			throw new GovernanceConfigurationException("Redaction pattern '" + pattern.getName() + "' (" + property
					+ ".regex) is not a valid regular expression: " + ex.getDescription() + " near index "
					+ ex.getIndex() + ".", "Fix " + property + ".regex; it is a java.util.regex.Pattern.");
		}
	}

}
