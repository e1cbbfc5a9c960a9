package dev.mcpgovernance.ratelimit;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.ratelimit.RateLimiter.MultiDecision;
import dev.mcpgovernance.ratelimit.ToolRateLimits.Charge;
import dev.mcpgovernance.tool.ToolPolicy;

/**
 * The buckets of a {@code tools/call} that its request's per-caller check took in the same round
 * trip ({@link CallerRateLimits#admit}), held for that call's limit step
 * ({@link ToolRateLimits#check}) on the request's thread. The limit step claims them once, for the
 * same tool, policy and caller; when it does not (the call was refused earlier, for its scope or
 * its session; it ran on another thread; it never reached a tool), {@link #release} gives back
 * what was taken, so a call never takes its buckets twice or keeps them without running its step.
 */
final class PrepaidToolCall {

	private static final ThreadLocal<PrepaidToolCall> CURRENT = new ThreadLocal<>();

	private final String toolName;

	private final ToolPolicy policy;

	private final String keyId;

	private final Charge charge;

	private final MultiDecision decision;

	private boolean claimed;

	private PrepaidToolCall(String toolName, ToolPolicy policy, String keyId, Charge charge, MultiDecision decision) {
		this.toolName = toolName;
		this.policy = policy;
		this.keyId = keyId;
		this.charge = charge;
		this.decision = decision;
	}

	/** Holds the decision on the call's buckets ({@code charge}) until {@link #release}, on this thread. */
	static PrepaidToolCall hold(String toolName, ToolPolicy policy, CallerIdentity caller, Charge charge,
			MultiDecision decision) {
		PrepaidToolCall prepaid = new PrepaidToolCall(toolName, policy, caller.keyId(), charge, decision);
		CURRENT.set(prepaid);
		return prepaid;
	}

	/**
	 * What this call's request took for it, or {@code null} when this thread holds nothing for this
	 * tool, policy and caller, or it was claimed already.
	 */
	static PrepaidToolCall claim(String toolName, ToolPolicy policy, CallerIdentity caller) {
		PrepaidToolCall prepaid = CURRENT.get();
		if (prepaid == null || prepaid.claimed || prepaid.policy != policy || !prepaid.toolName.equals(toolName)
				|| caller == null || !prepaid.keyId.equals(caller.keyId())) {
			return null;
		}
		prepaid.claimed = true;
		return prepaid;
	}

	/** The buckets taken, or refused, for the call. */
	Charge charge() {
		return this.charge;
	}

	/** The decision on them. */
	MultiDecision decision() {
		return this.decision;
	}

	/** Stops holding the decision; gives the buckets back when they were taken and never claimed. */
	void release(RateLimiter limiter) {
		if (CURRENT.get() == this) {
			CURRENT.remove();
		}
		if (!this.claimed && this.decision.allowed()) {
			this.claimed = true;
			limiter.refundAll(this.charge.buckets());
		}
	}

}
