package dev.mcpgovernance.capability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mcpgovernance.identity.Delegation;
import dev.mcpgovernance.scope.Scope;
import io.vavr.Tuple2;
import org.biscuitsec.biscuit.datalog.RunLimits;
import org.biscuitsec.biscuit.error.Error;
import org.biscuitsec.biscuit.token.Authorizer;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.builder.Check;
import org.biscuitsec.biscuit.token.builder.Fact;
import org.biscuitsec.biscuit.token.builder.Term;

/**
 * A capability token whose signatures were verified: the {@link Delegation} of its caller. Each
 * tool call runs the token's Datalog again with the tool, its required scope and the time, so
 * every block's checks apply to every call.
 */
final class VerifiedCapability implements Delegation {

	// Biscuit's default allows 5 ms, which a busy machine can miss: a refused call, not a safe one.
	private static final RunLimits RUN_LIMITS = new RunLimits(1000, 100, Duration.ofMillis(500));

	private final Biscuit token;

	private final Map<String, Long> limits;

	private final Clock clock;

	private final Instant expiresAt;

	private VerifiedCapability(Biscuit token, Map<String, Long> limits, Clock clock, Instant expiresAt) {
		this.token = token;
		this.limits = Map.copyOf(limits);
		this.clock = clock;
		this.expiresAt = expiresAt;
	}

	/**
	 * Reads the limits the token's blocks set (the smallest value for each name) and the earliest
	 * expiry they state.
	 */
	static VerifiedCapability of(Biscuit token, Clock clock) throws Error {
		Map<String, Long> limits = new LinkedHashMap<>();
		Instant expiresAt = null;
		for (Tuple2<Long, List<Check>> block : token.authorizer().checks()) {
			for (Check check : block._2) {
				String printed = check.toString();
				CapabilityDatalog.parseLimit(printed)
					.ifPresent((limit) -> limits.merge(limit.getKey(), limit.getValue(), Math::min));
				Instant expiry = CapabilityDatalog.parseExpiry(printed).orElse(null);
				if (expiry != null && (expiresAt == null || expiry.isBefore(expiresAt))) {
					expiresAt = expiry;
				}
			}
		}
		return new VerifiedCapability(token, limits, clock, expiresAt);
	}

	/**
	 * The earliest expiry a block of the token states in the shape the issuer and
	 * {@link CapabilityTokens#attenuate} write; {@code null} when none does. A hand-written time check
	 * still holds on every call, but is not read here.
	 */
	Instant expiresAt() {
		return this.expiresAt;
	}

	/**
	 * Authorizes the request before any tool is known (the token's time and limit checks, and
	 * whatever other checks its holders wrote) and reads what the authority block states.
	 * @throws Error when a check fails or the token names no subject
	 */
	Authority authorizeConnection() throws Error {
		Authorizer authorizer = authorizer(CapabilityDatalog.CONNECT);
		authorizer.authorize(RUN_LIMITS);
		return new Authority(strings(authorizer, "subject"), strings(authorizer, "label"), strings(authorizer, "scope"));
	}

	/** What the authority block states; the server's queries see no other block's facts. */
	record Authority(Set<String> subjects, Set<String> labels, Set<String> scopes) {
	}

	@Override
	public boolean permits(String toolName, Scope requiredScope) {
		try {
			Authorizer authorizer = authorizer(CapabilityDatalog.CALL);
			authorizer.add_fact(CapabilityDatalog.tool(toolName));
			if (requiredScope != null) {
				authorizer.add_fact(CapabilityDatalog.requiredScope(requiredScope));
			}
			authorizer.authorize(RUN_LIMITS);
			return true;
		}
		catch (Error ex) {
			return false;
		}
	}

	private static Set<String> strings(Authorizer authorizer, String predicate) throws Error {
		Set<Fact> facts = authorizer.query("value($value) <- " + predicate + "($value)", RUN_LIMITS);
		return facts.stream()
			.map((fact) -> fact.terms().get(0))
			.filter(Term.Str.class::isInstance)
			.map((term) -> ((Term.Str) term).getValue())
			.collect(Collectors.toSet());
	}

	@Override
	public int depth() {
		return this.token.revocation_identifiers().size() - 1;
	}

	@Override
	public Map<String, Long> limits() {
		return this.limits;
	}

	/** Identifies the root token, shared by every token narrowed from it. */
	String rootRevocationId() {
		return this.token.revocation_identifiers().get(0).toHex();
	}

	private Authorizer authorizer(String operation) throws Error {
		Authorizer authorizer = this.token.authorizer();
		authorizer.add_fact(CapabilityDatalog.operation(operation));
		authorizer.add_fact(CapabilityDatalog.time(this.clock.instant()));
		this.limits.forEach((name, value) -> authorizer.add_fact(CapabilityDatalog.limit(name, value)));
		authorizer.add_policy(CapabilityDatalog.POLICY);
		return authorizer;
	}

	@Override
	public String toString() {
		return "VerifiedCapability[depth=" + depth() + ", limits=" + this.limits + "]";
	}

}
