package dev.mcpgovernance.scope;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code domain:resource:action} scope. A granted scope may use {@code *} for the resource
 * and/or the action; the domain is always explicit so that a grant never spills into another
 * system's tools.
 */
public record Scope(String domain, String resource, String action) {

	public static final String WILDCARD = "*";

	// Lower-case words so that "Orders" and "orders" can never name two different grants.
	private static final Pattern PART = Pattern.compile("[a-z][a-z0-9_.-]{0,62}");

	public Scope {
		requirePart(domain, "domain", false);
		requirePart(resource, "resource", true);
		requirePart(action, "action", true);
	}

	/**
	 * Parses a scope as it appears in configuration or in a credential.
	 * @throws MalformedScopeException naming the offending text
	 */
	public static Scope parse(String text) {
		if (text == null) {
			throw new MalformedScopeException(null, "a scope must not be null");
		}
		String[] parts = text.split(":", -1);
		if (parts.length != 3) {
			throw new MalformedScopeException(text, "expected domain:resource:action");
		}
		try {
			return new Scope(parts[0], parts[1], parts[2]);
		}
		catch (MalformedScopeException ex) {
			throw new MalformedScopeException(text, ex.reason());
		}
	}

	/** A scope that a tool requires: no wildcards allowed, since a requirement names one thing. */
	public static Scope required(String domain, String resource, String action) {
		Scope scope = new Scope(domain, resource, action);
		if (scope.hasWildcard()) {
			throw new MalformedScopeException(scope.toString(), "a required scope cannot contain '*'");
		}
		return scope;
	}

	/** Whether this (granted) scope covers the given required scope. */
	public boolean covers(Scope required) {
		return this.domain.equals(required.domain) && partCovers(this.resource, required.resource)
				&& partCovers(this.action, required.action);
	}

	public boolean hasWildcard() {
		return WILDCARD.equals(this.resource) || WILDCARD.equals(this.action);
	}

	@Override
	public String toString() {
		return this.domain + ":" + this.resource + ":" + this.action;
	}

	private static boolean partCovers(String granted, String required) {
		return WILDCARD.equals(granted) || granted.equals(required);
	}

	private static void requirePart(String value, String name, boolean wildcardAllowed) {
		if (value == null || value.isEmpty()) {
			throw new MalformedScopeException(null, "the " + name + " is empty");
		}
		if (wildcardAllowed && WILDCARD.equals(value)) {
			return;
		}
		if (!PART.matcher(value).matches()) {
			String hint = value.equals(value.toLowerCase(Locale.ROOT)) ? "" : " (scopes are lower case)";
			throw new MalformedScopeException(null,
					"the " + name + " '" + value + "' must match " + PART.pattern() + hint);
		}
	}

}
