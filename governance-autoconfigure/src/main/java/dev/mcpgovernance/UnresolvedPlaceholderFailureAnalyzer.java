package dev.mcpgovernance;

import java.util.Optional;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.PlaceholderResolutionException;

/**
 * Explains a start that fails because an {@code mcp.governance.*} property refers to a placeholder
 * nobody set, typically {@code ${MCP_GOVERNANCE_API_KEYS_PEPPER}} from the quickstart run without
 * that variable. Spring has no report of its own for this and prints a bare stack trace; placeholders
 * in the application's other properties are left to whatever reports them today.
 */
class UnresolvedPlaceholderFailureAnalyzer extends AbstractFailureAnalyzer<PlaceholderResolutionException> {

	private static final String PEPPER = "mcp.governance.api-keys.pepper";

	private final Environment environment;

	public UnresolvedPlaceholderFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PlaceholderResolutionException cause) {
		String placeholder = cause.getPlaceholder();
		return governanceProperty(placeholder).map((property) -> new FailureAnalysis(
				"MCP Governance: " + property + " refers to ${" + placeholder + "}, which is not set.",
				action(property, placeholder), cause))
			.orElse(null);
	}

	private static String action(String property, String placeholder) {
		if (PEPPER.equals(property)) {
			return "Set the environment variable " + placeholder
					+ " to a random secret of at least 32 characters (for example the output of `openssl rand -base64 48`)"
					+ " and keep it: API keys hashed under another pepper no longer match. Without API keys, remove "
					+ PEPPER + ".";
		}
		return "Set " + placeholder + " (as an environment variable or a property), or give " + property
				+ " a value or a default (${" + placeholder + ":default}).";
	}

	/** The {@code mcp.governance.*} property whose raw value names the placeholder, if any. */
	private Optional<String> governanceProperty(String placeholder) {
		if (placeholder == null || !(this.environment instanceof ConfigurableEnvironment configurable)) {
			return Optional.empty();
		}
		String reference = "${" + placeholder;
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					Object value = enumerable.getProperty(name);
					if (name.startsWith(GovernanceProperties.PREFIX + ".") && value != null
							&& value.toString().contains(reference)) {
						return Optional.of(name);
					}
				}
			}
		}
		return Optional.empty();
	}

}
