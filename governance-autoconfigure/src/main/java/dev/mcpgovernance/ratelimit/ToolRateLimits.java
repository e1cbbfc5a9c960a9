package dev.mcpgovernance.ratelimit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.ToolCallLimiter;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.StringUtils;

/**
 * The limits on tool calls: per caller per tool, for all callers per tool, and the call budget of
 * each caller (every tool call counts, governed or not). A call takes one from each bucket that
 * applies; when one of them refuses, the calls already taken for it are given back, so a refused
 * call costs nothing. Per-tool limits come from configuration (keyed by the tool's required scope)
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
		List<Taken> taken = new ArrayList<>(3);
		ToolError refusal = take(taken, "tool:" + toolName + ":caller:" + caller.keyId(), limits.perCaller(),
				"tool_per_caller", "Rate limit of tool '" + toolName + "' for this caller reached");
		if (refusal == null) {
			refusal = take(taken, "tool:" + toolName + ":global", limits.global(), "tool_global",
					"Rate limit of tool '" + toolName + "' for all callers reached");
		}
		if (refusal == null) {
			refusal = take(taken, "budget:" + caller.keyId(), this.budget, "budget", "Call budget of this caller spent");
		}
		if (refusal != null) {
			taken.forEach((held) -> this.limiter.refund(held.key(), held.limit()));
		}
		return refusal;
	}

	private ToolError take(List<Taken> taken, String key, RateLimit limit, String which, String message) {
		if (limit == null) {
			return null;
		}
		RateLimitDecision decision = this.limiter.tryConsume(key, limit);
		if (decision.allowed()) {
			taken.add(new Taken(key, limit));
			return null;
		}
		return new ToolError(ToolErrorCode.RATE_LIMITED,
				message + "; retry after " + decision.retryAfterSeconds() + " s.",
				Map.of("retry_after_s", decision.retryAfterSeconds(), "limit", which));
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

	private record Taken(String key, RateLimit limit) {
	}

}
