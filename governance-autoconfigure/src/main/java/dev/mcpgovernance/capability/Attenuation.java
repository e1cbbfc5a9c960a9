package dev.mcpgovernance.capability;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpgovernance.scope.ScopeSet;

/**
 * How to narrow a capability token: each part left unset keeps what the token allows. Whatever it
 * asks for, the result can never do more than the token it came from: a tool or scope outside the
 * token stays refused, a later expiry than the token's changes nothing, a higher limit than one
 * already set is ignored (the smallest wins).
 *
 * <pre>
 * String worker = CapabilityTokens.attenuate(token,
 *         Attenuation.none().tools("get_order").ttl(Duration.ofMinutes(5)).limit("max_rows", 50));
 * </pre>
 *
 * @param tools the only tools the new token may call; empty to keep the token's
 * @param scopes the only scopes whose tools the new token may call; {@code null} to keep the token's
 * @param expiresAt when the new token stops working; {@code null} to keep the token's expiry
 * @param limits resource limits to add or lower
 */
public record Attenuation(List<String> tools, ScopeSet scopes, Instant expiresAt, Map<String, Long> limits) {

	public Attenuation {
		tools = (tools != null) ? List.copyOf(tools) : List.of();
		tools.forEach(CapabilityDatalog::requireToolName);
		if (scopes != null && scopes.scopes().isEmpty()) {
			throw new IllegalArgumentException("Narrowing to no scope at all: leave scopes unset to keep the token's");
		}
		limits = (limits != null) ? Map.copyOf(limits) : Map.of();
		limits.forEach(CapabilityDatalog::requireLimit);
	}

	/** No restriction yet; add some with the other methods. */
	public static Attenuation none() {
		return new Attenuation(List.of(), null, null, Map.of());
	}

	public Attenuation tools(String... tools) {
		return new Attenuation(List.of(tools), this.scopes, this.expiresAt, this.limits);
	}

	public Attenuation scopes(String... scopes) {
		return new Attenuation(this.tools, ScopeSet.parse(List.of(scopes)), this.expiresAt, this.limits);
	}

	/** Expires {@code ttl} from now (the system clock). */
	public Attenuation ttl(Duration ttl) {
		return expiresAt(Instant.now().plus(ttl));
	}

	public Attenuation expiresAt(Instant expiresAt) {
		return new Attenuation(this.tools, this.scopes, expiresAt, this.limits);
	}

	public Attenuation limit(String name, long value) {
		Map<String, Long> limits = new LinkedHashMap<>(this.limits);
		limits.put(name, value);
		return new Attenuation(this.tools, this.scopes, this.expiresAt, limits);
	}

	boolean restrictsNothing() {
		return this.tools.isEmpty() && this.scopes == null && this.expiresAt == null && this.limits.isEmpty();
	}

}
