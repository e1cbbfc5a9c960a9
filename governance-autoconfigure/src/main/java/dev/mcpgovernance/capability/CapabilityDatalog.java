package dev.mcpgovernance.capability;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.mcpgovernance.scope.Scope;
import org.biscuitsec.biscuit.token.builder.Fact;
import org.biscuitsec.biscuit.token.builder.Term;
import org.biscuitsec.biscuit.token.builder.Utils;

/**
 * The Datalog vocabulary of capability tokens, in one place.
 *
 * <p>The authority block (written by the key holder) states {@code subject}, {@code label} and
 * {@code scope} facts. Every block, the authority's included, restricts with checks only:
 * <pre>
 * check if operation("connect") or tool("get_order") or tool("list_orders")
 * check if operation("connect") or required_scope("orders", $resource, "read")
 * check if time($time), $time &lt;= 2030-01-01T00:00:00Z
 * check if limit("max_rows", $value), $value &lt;= 100
 * </pre>
 * The server supplies {@code operation}, {@code tool}, {@code required_scope}, {@code time} and
 * {@code limit} as authorizer facts. Biscuit scopes a block's own facts to that block, so a fact an
 * attenuation block adds (a {@code tool}, a {@code scope}, an {@code operation}) satisfies no other
 * block's check and no authorizer policy: attenuation can only narrow.
 */
final class CapabilityDatalog {

	/** When a request is authenticated, before any tool is known: tool and scope checks let it pass. */
	static final String CONNECT = "connect";

	/** When a tool is called: every check applies. */
	static final String CALL = "call";

	/** The one policy: the authority block names a subject. Everything else is a check. */
	static final String POLICY = "allow if subject($subject)";

	static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

	static final Pattern LIMIT_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

	// The printed form of a limit check, as Biscuit's builder prints it back.
	private static final Pattern LIMIT_CHECK = Pattern
		.compile("check if limit\\(\"(" + LIMIT_NAME.pattern() + ")\", \\$(\\w+)\\), \\$\\2 <= (\\d{1,18})");

	private CapabilityDatalog() {
	}

	static Fact subject(String subject) {
		return fact("subject", Utils.string(subject));
	}

	static Fact label(String label) {
		return fact("label", Utils.string(label));
	}

	static Fact scope(Scope scope) {
		return fact("scope", Utils.string(scope.toString()));
	}

	static Fact operation(String operation) {
		return fact("operation", Utils.string(operation));
	}

	static Fact tool(String toolName) {
		return fact("tool", Utils.string(toolName));
	}

	static Fact requiredScope(Scope required) {
		return fact("required_scope", Utils.string(required.domain()), Utils.string(required.resource()),
				Utils.string(required.action()));
	}

	static Fact time(Instant now) {
		return fact("time", Utils.date(java.util.Date.from(now)));
	}

	static Fact limit(String name, long value) {
		return fact("limit", Utils.string(name), Utils.integer(value));
	}

	/** Only these tools; names are checked against {@link #TOOL_NAME}, so they need no quoting. */
	static String toolCheck(Collection<String> tools) {
		return "check if operation(\"" + CONNECT + "\") or "
				+ tools.stream().map((tool) -> "tool(\"" + requireToolName(tool) + "\")").collect(Collectors.joining(" or "));
	}

	/** Only tools whose required scope one of these covers; a wildcard part becomes a variable. */
	static String scopeCheck(Collection<Scope> scopes) {
		return "check if operation(\"" + CONNECT + "\") or " + scopes.stream()
			.map((scope) -> "required_scope(\"" + scope.domain() + "\", " + part(scope.resource(), "$resource") + ", "
					+ part(scope.action(), "$action") + ")")
			.collect(Collectors.joining(" or "));
	}

	static String expiryCheck(Instant expiresAt) {
		return "check if time($time), $time <= "
				+ DateTimeFormatter.ISO_INSTANT.format(expiresAt.truncatedTo(ChronoUnit.SECONDS));
	}

	static String limitCheck(String name, long value) {
		requireLimit(name, value);
		return "check if limit(\"" + name + "\", $value), $value <= " + value;
	}

	// The printed form of an expiry check, as Biscuit's builder prints it back (dates in ISO_INSTANT).
	private static final Pattern EXPIRY_CHECK = Pattern
		.compile("check if time\\(\\$(\\w+)\\), \\$\\1 <= (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)");

	/** When a check ends the token, when it has the shape {@link #expiryCheck} writes. */
	static Optional<Instant> parseExpiry(String printedCheck) {
		Matcher matcher = EXPIRY_CHECK.matcher(printedCheck);
		return matcher.matches() ? Optional.of(Instant.parse(matcher.group(2))) : Optional.empty();
	}

	/** The limit a check sets, when it has the shape {@link #limitCheck} writes. */
	static Optional<Map.Entry<String, Long>> parseLimit(String printedCheck) {
		Matcher matcher = LIMIT_CHECK.matcher(printedCheck);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional.of(Map.entry(matcher.group(1), Long.parseLong(matcher.group(3))));
	}

	static String requireToolName(String tool) {
		if (tool == null || !TOOL_NAME.matcher(tool).matches()) {
			throw new IllegalArgumentException("A tool name must match " + TOOL_NAME.pattern());
		}
		return tool;
	}

	static void requireLimit(String name, long value) {
		if (name == null || !LIMIT_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("A limit name must match " + LIMIT_NAME.pattern());
		}
		if (value < 0) {
			throw new IllegalArgumentException("Limit '" + name + "' must not be negative");
		}
	}

	private static String part(String value, String variable) {
		return Scope.WILDCARD.equals(value) ? variable : "\"" + value + "\"";
	}

	private static Fact fact(String name, Term... terms) {
		return new Fact(name, new ArrayList<>(List.of(terms)));
	}

}
