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
		// Taken already with the request's per-caller limit, when this is the call that request carried.
		PrepaidToolCall prepaid = PrepaidToolCall.claim(toolName, policy, caller);
		if (prepaid != null) {
			return refusal(toolName, prepaid.charge(), prepaid.decision());
		}
		Charge charge;
		try {
			charge = charge(policy, caller);
		}
		catch (GovernanceConfigurationException ex) {
			// A tool registered after start-up with a malformed limit: refuse rather than run unlimited.
			return ToolError.of(ToolErrorCode.INTERNAL_ERROR, "Tool '" + toolName + "' is misconfigured.");
		}
		if (charge.buckets().isEmpty()) {
			return null;
		}
		// All or nothing, in one round trip on the Redis store: a refused call costs no bucket anything.
		return refusal(toolName, charge, this.limiter.tryConsumeAll(charge.buckets()));
	}

	/**
	 * The buckets one call of a tool by {@code caller} takes, in the order they are checked.
	 * @param policy the tool's policy; {@code null} for an ungoverned tool (only the budget applies)
	 * @throws GovernanceConfigurationException when the tool's annotation names a malformed limit
	 */
	Charge charge(ToolPolicy policy, CallerIdentity caller) {
		ToolLimits limits = (policy != null) ? limitsOf(policy) : ToolLimits.NONE;
		List<BucketLimit> buckets = new ArrayList<>(3);
		List<Refusal> refusals = new ArrayList<>(3);
		if (limits.perCaller() != null) {
			buckets.add(new BucketLimit(limits.perCallerKeyPrefix() + caller.keyId(), limits.perCaller()));
			refusals.add(Refusal.TOOL_PER_CALLER);
		}
		if (limits.global() != null) {
			buckets.add(new BucketLimit(limits.globalKey(), limits.global()));
			refusals.add(Refusal.TOOL_GLOBAL);
		}
		if (this.budget != null) {
			buckets.add(new BucketLimit("budget:" + caller.keyId(), this.budget));
			refusals.add(Refusal.BUDGET);
		}
		return new Charge(buckets, refusals);
	}

	/** What the caller is told when {@code decision} refused, or {@code null} when it allowed the call. */
	private static ToolError refusal(String toolName, Charge charge, MultiDecision decision) {
		if (decision.allowed()) {
			return null;
		}
		Refusal refused = charge.refusals().get(decision.refused());
		long retryAfter = decision.decision().retryAfterSeconds();
		return new ToolError(ToolErrorCode.RATE_LIMITED,
				refused.message(toolName) + "; retry after " + retryAfter + " s.",
				Map.of("retry_after_s", retryAfter, "limit", refused.which()));
	}

	private ToolLimits limitsOf(ToolPolicy policy) {
		return this.byTool.computeIfAbsent(policy.toolName(), (name) -> {
			String scope = policy.requiredScope().toString();
			RateLimit perCaller = this.perCallerByScope.get(scope);
			RateLimit global = this.globalByScope.get(scope);
			return new ToolLimits((perCaller != null) ? perCaller : parse(policy.rateLimit(), "rateLimit", policy),
					(global != null) ? global : parse(policy.globalRateLimit(), "globalRateLimit", policy),
					"tool:" + name + ":caller:", "tool:" + name + ":global");
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

	/** The buckets of one call, and which refusal each stands for. */
	record Charge(List<BucketLimit> buckets, List<Refusal> refusals) {
	}

	/** A tool's limits and its bucket keys, built once per tool rather than on every call. */
	private record ToolLimits(RateLimit perCaller, RateLimit global, String perCallerKeyPrefix, String globalKey) {

		static final ToolLimits NONE = new ToolLimits(null, null, null, null);

	}

	/** Which bucket refused a call, and what the refusal says (built only when a call is refused). */
	enum Refusal {

		TOOL_PER_CALLER("tool_per_caller", "Rate limit of tool '%s' for this caller reached"),

		TOOL_GLOBAL("tool_global", "Rate limit of tool '%s' for all callers reached"),

		BUDGET("budget", "Call budget of this caller spent");

		private final String which;

		private final String message;

		Refusal(String which, String message) {
			this.which = which;
			this.message = message;
		}

		String which() {
			return this.which;
		}

		String message(String toolName) {
			return this.message.formatted(toolName);
		}

	}

}
