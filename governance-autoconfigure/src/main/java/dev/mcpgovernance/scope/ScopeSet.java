package dev.mcpgovernance.scope;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The scopes granted to one caller, with the one question a decision needs: is this covered? */
public record ScopeSet(Set<Scope> scopes) {

	public static final ScopeSet EMPTY = new ScopeSet(Set.of());

	public ScopeSet {
		scopes = Set.copyOf(scopes);
	}

	/** Parses every text; a single malformed one fails the whole set. */
	public static ScopeSet parse(Collection<String> texts) {
		Set<Scope> parsed = new LinkedHashSet<>();
		for (String text : texts) {
			parsed.add(Scope.parse(text.trim()));
		}
		return new ScopeSet(parsed);
	}

	/** Parses a space-separated list, as in an OAuth {@code scope} value or a stored key. */
	public static ScopeSet parseSpaceSeparated(String text) {
		if (text == null || text.isBlank()) {
			return EMPTY;
		}
		return parse(Arrays.asList(text.trim().split("\\s+")));
	}

	public boolean covers(Scope required) {
		for (Scope granted : this.scopes) {
			if (granted.covers(required)) {
				return true;
			}
		}
		return false;
	}

	public Set<String> asStrings() {
		return this.scopes.stream().map(Scope::toString).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	public String toSpaceSeparated() {
		return String.join(" ", asStrings().stream().sorted().toList());
	}

}
