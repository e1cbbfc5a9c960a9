package dev.mcpgovernance.gateway;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.scope.Scope;

/**
 * Which of an upstream's resources (and resource templates) or prompts are exposed, and with which
 * scope: the same rules as its tools' globs and overrides. A resource is matched by its URI (or URI
 * template) and its name, a prompt by its name.
 *
 * @param allowed globs of what to expose; all when empty
 * @param denied globs of what never to expose, ignoring case; deny wins
 * @param scopes required scopes by glob, in the order they are tried
 */
public record UpstreamFeatureRules(List<String> allowed, List<String> denied, Map<String, Scope> scopes) {

	/** Everything exposed, each under its default scope. */
	public static final UpstreamFeatureRules ALL = new UpstreamFeatureRules(List.of(), List.of(), Map.of());

	public UpstreamFeatureRules {
		allowed = List.copyOf(allowed);
		denied = List.copyOf(denied);
		// In order: the first matching glob wins.
		scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
	}

	/** Whether a feature known by these keys (its URI and name, or its name) may be exposed. */
	boolean exposes(String... keys) {
		for (String glob : this.denied) {
			for (String key : keys) {
				if (Globs.matchesIgnoringCase(glob, key)) {
					return false;
				}
			}
		}
		if (this.allowed.isEmpty()) {
			return true;
		}
		for (String glob : this.allowed) {
			for (String key : keys) {
				if (Globs.matches(glob, key)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The first override whose glob matches one of the keys; {@code null} when none does. */
	Scope override(String... keys) {
		for (Map.Entry<String, Scope> entry : this.scopes.entrySet()) {
			for (String key : keys) {
				if (Globs.matches(entry.getKey(), key)) {
					return entry.getValue();
				}
			}
		}
		return null;
	}

}
