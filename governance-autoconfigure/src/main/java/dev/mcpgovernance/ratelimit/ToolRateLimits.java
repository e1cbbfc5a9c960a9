package dev.mcpgovernance.ratelimit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.ratelimit.RateLimiter.BucketLimit;
import dev.mcpgovernance.ratelimit.RateLimiter.MultiDecision;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.StringUtils;

/**
 * The limits on tool calls: per caller per tool, for all callers per tool, and the call budget of
 * each caller (every tool call counts, governed or not). A call takes one from each bucket that
 * applies, all in one check ({@link RateLimiter#tryConsumeAll}); when one of them refuses, none is
 * taken, so a refused call costs nothing. Per-tool limits come from configuration (keyed by the tool's required scope)
 * or else from {@code @GovernedTool}.
 */
public class ToolRateLimits implements ToolCallLimiter, SmartInitializingSingleton {

	private final RateLimiter limiter;

	private final Map<String, RateLimit> perCallerByScope;

	private final Map<String, RateLimit> globalByScope;

	private final RateLimit budget;

	private final Supplier<Collection<ToolPolicy>> policies;

	private final Map<String, ToolLimits> byTool = new ConcurrentHashMap<>();

	/**
	 * @param perCallerByScope per-caller limits by required scope (from configuration)
	 * @param globalByScope all-callers limits by required scope (from configuration)
	 * @param budget calls per period per caller over all tools; {@code null} for none
	 * @param policies the governed tools known at start-up, whose annotation limits are checked then
	 */
	public ToolRateLimits(RateLimiter limiter, Map<String, RateLimit> perCallerByScope,
			Map<String, RateLimit> globalByScope, RateLimit budget, Supplier<Collection<ToolPolicy>> policies) {
		this.limiter = limiter;
		this.perCallerByScope = Map.copyOf(perCallerByScope);
		this.globalByScope = Map.copyOf(globalByScope);
		this.budget = budget;
		this.policies = policies;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.policies.get().forEach(this::limitsOf);
	}

	@Override
	public ToolError check(String toolName, ToolPolicy policy, CallerIdentity caller) {
		ToolLimits limits;
		try {
			limits = (policy != null) ? limitsOf(policy) : ToolLimits.NONE;
		}
		catch (GovernanceConfigurationException ex) {
			// A tool registered after start-up with a malformed limit: refuse rather than run unlimited.
			return ToolError.of(ToolErrorCode.INTERNAL_ERROR, "Tool '" + toolName + "' is misconfigured.");
		}
		List<Check> checks = new ArrayList<>(3);
		if (limits.perCaller() != null) {
			checks.add(new Check(new BucketLimit("tool:" + toolName + ":caller:" + caller.keyId(), limits.perCaller()),
					"tool_per_caller", "Rate limit of tool '" + toolName + "' for this caller reached"));
		}
		if (limits.global() != null) {
			checks.add(new Check(new BucketLimit("tool:" + toolName + ":global", limits.global()), "tool_global",
					"Rate limit of tool '" + toolName + "' for all callers reached"));
		}
		if (this.budget != null) {
			checks.add(new Check(new BucketLimit("budget:" + caller.keyId(), this.budget), "budget",
					"Call budget of this caller spent"));
		}
		if (checks.isEmpty()) {
			return null;
		}
		// All or nothing, in one round trip on the Redis store: a refused call costs no bucket anything.
		MultiDecision decision = this.limiter.tryConsumeAll(checks.stream().map(Check::bucket).toList());
		if (decision.allowed()) {
			return null;
		}
		Check refused = checks.get(decision.refused());
		long retryAfter = decision.decision().retryAfterSeconds();
		return new ToolError(ToolErrorCode.RATE_LIMITED, refused.message() + "; retry after " + retryAfter + " s.",
				Map.of("retry_after_s", retryAfter, "limit", refused.which()));
	}

	private ToolLimits limitsOf(ToolPolicy policy) {
		return this.byTool.computeIfAbsent(policy.toolName(), (name) -> {
			String scope = policy.requiredScope().toString();
			RateLimit perCaller = this.perCallerByScope.get(scope);
			RateLimit global = this.globalByScope.get(scope);
			return new ToolLimits((perCaller != null) ? perCaller : parse(policy.rateLimit(), "rateLimit", policy),
					(global != null) ? global : parse(policy.globalRateLimit(), "globalRateLimit", policy));
		});
	}

	private static RateLimit parse(String text, String attribute, ToolPolicy policy) {
		if (!StringUtils.hasText(text)) {
			return null;
		}
		try {
			return RateLimit.valueOf(text);
		}
		catch (IllegalArgumentException ex) {
			throw new GovernanceConfigurationException(
					"@GovernedTool(" + attribute + ") on " + policy.declaredBy() + ": " + ex.getMessage() + ".",
					"Write the limit as <calls>/<unit>, e.g. " + attribute + " = \"10/min\".");
		}
	}

	private record ToolLimits(RateLimit perCaller, RateLimit global) {

		static final ToolLimits NONE = new ToolLimits(null, null);

	}

	/** One bucket a call takes from, with what a refusal by it says. */
	private record Check(BucketLimit bucket, String which, String message) {
	}

}
