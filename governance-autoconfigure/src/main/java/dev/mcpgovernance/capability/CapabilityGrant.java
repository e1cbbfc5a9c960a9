package dev.mcpgovernance.capability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mcpgovernance.scope.ScopeSet;

/**
 * What a root capability token grants: minted by {@link CapabilityIssuer}, narrowed by anyone who
 * holds it with {@link CapabilityTokens#attenuate}.
 *
 * @param subject who the token is for: the caller's owner id in decisions and the audit trail
 * @param label a human-readable name for the subject; may be {@code null}
 * @param scopes the granted scopes ({@code domain:resource:action}, wildcards allowed); at least one
 * @param tools the only tools the token may call; empty for every tool its scopes cover
 * @param ttl how long the token lives
 * @param limits resource limits for the handlers, such as {@code max_rows}; may be empty
 */
public record CapabilityGrant(String subject, String label, ScopeSet scopes, List<String> tools, Duration ttl,
		Map<String, Long> limits) {

	public CapabilityGrant {
		if (subject == null || subject.isBlank()) {
			throw new IllegalArgumentException("A capability token needs a subject");
		}
		Objects.requireNonNull(scopes, "scopes");
		if (scopes.scopes().isEmpty()) {
			throw new IllegalArgumentException("A capability token needs at least one scope");
		}
		tools = (tools != null) ? List.copyOf(tools) : List.of();
		tools.forEach(CapabilityDatalog::requireToolName);
		if (ttl == null || ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("A capability token needs a positive ttl");
		}
		limits = (limits != null) ? Map.copyOf(limits) : Map.of();
		limits.forEach(CapabilityDatalog::requireLimit);
	}

	/** A grant of {@code scopes} to {@code subject} for {@code ttl}, for every tool they cover. */
	public static CapabilityGrant of(String subject, ScopeSet scopes, Duration ttl) {
		return new CapabilityGrant(subject, null, scopes, List.of(), ttl, Map.of());
	}

	public CapabilityGrant withLabel(String label) {
		return new CapabilityGrant(this.subject, label, this.scopes, this.tools, this.ttl, this.limits);
	}

	public CapabilityGrant withTools(String... tools) {
		return new CapabilityGrant(this.subject, this.label, this.scopes, List.of(tools), this.ttl, this.limits);
	}

	public CapabilityGrant withLimits(Map<String, Long> limits) {
		return new CapabilityGrant(this.subject, this.label, this.scopes, this.tools, this.ttl, limits);
	}

}
