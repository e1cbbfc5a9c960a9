package dev.mcpgovernance.redaction;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.mcpgovernance.GovernanceProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Redaction of sensitive data in tool results. */
@ConfigurationProperties(prefix = GovernanceRedactionProperties.PREFIX)
@Validated
public class GovernanceRedactionProperties {

	public static final String PREFIX = GovernanceProperties.PREFIX + ".redaction";

	/** Whether tool results are redacted before they leave the server. */
	private boolean enabled = true;

	/** Whether the built-in list of sensitive keys (password, *_token, email, ssn, card_number, …) applies. */
	private boolean defaultKeys = true;

	/**
	 * More sensitive keys, as case-insensitive globs ('*' any characters, '?' one), added to the
	 * built-in ones. The value under such a key is replaced with [REDACTED] at any depth.
	 */
	@NotNull
	private List<@NotBlank String> keys = new ArrayList<>();

	/** Built-in value patterns looked for inside every string: email, phone, ssn, card. */
	@NotNull
	private Set<Detector> detectors = EnumSet.allOf(Detector.class);

	/** Patterns of your own, looked for inside every string after the built-in ones; a match becomes [REDACTED:name]. */
	@NotNull
	private List<@Valid NamedPattern> patterns = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isDefaultKeys() {
		return this.defaultKeys;
	}

	public void setDefaultKeys(boolean defaultKeys) {
		this.defaultKeys = defaultKeys;
	}

	public List<String> getKeys() {
		return this.keys;
	}

	public void setKeys(List<String> keys) {
		this.keys = keys;
	}

	public Set<Detector> getDetectors() {
		return this.detectors;
	}

	public void setDetectors(Set<Detector> detectors) {
		this.detectors = detectors;
	}

	public List<NamedPattern> getPatterns() {
		return this.patterns;
	}

	public void setPatterns(List<NamedPattern> patterns) {
		this.patterns = patterns;
	}

	/** A user-supplied value pattern. */
	public static class NamedPattern {

		/** What the pattern finds, shown in the replacement [REDACTED:name], e.g. "employee-id". */
		@NotBlank
		@Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be a short word such as 'employee-id'")
		private String name;

		/** A Java regular expression; every non-empty match is replaced. */
		@NotBlank
		private String regex;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getRegex() {
			return this.regex;
		}

		public void setRegex(String regex) {
			this.regex = regex;
		}

	}

}
