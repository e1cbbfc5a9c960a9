package dev.mcpgovernance.ratelimit;

import java.util.function.Function;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.ratelimit.RateLimiter.BucketLimit;
import dev.mcpgovernance.ratelimit.RateLimiter.ChainedDecision;
import dev.mcpgovernance.ratelimit.ToolRateLimits.Charge;
import dev.mcpgovernance.tool.ToolPolicy;

/**
 * Requests per minute per caller: the rpm of the caller's API key, or the server default. The rpm
 * comes from the key store or the server's configuration, never from anything the caller sent.
 * <p>
 * A request that carries a call of a governed tool also takes that call's buckets (per caller, for
 * all callers, the budget) in the same check, in one round trip on the Redis store instead of two.
 * What each check means does not change: the rpm is decided first and its refusal takes nothing; the
 * tool's buckets are decided all or nothing, and their decision waits for the call's own limit step,
 * after its scope check ({@link ToolRateLimits#check}); when that step does not come, what was taken
 * is given back ({@link Admission#close}).
 */
public class CallerRateLimits {

	private final RateLimiter limiter;

	private final int defaultRpm;

	private final ToolRateLimits tools;

	private final Function<String, ToolPolicy> policies;

	public CallerRateLimits(RateLimiter limiter, int defaultRpm) {
		this(limiter, defaultRpm, null, (name) -> null);
	}

	/**
	 * @param tools the tool limits whose buckets a request's check takes with it; {@code null} for none
	 * @param policies the policy of a governed tool by name, {@code null} for any other name
	 */
	public CallerRateLimits(RateLimiter limiter, int defaultRpm, ToolRateLimits tools,
			Function<String, ToolPolicy> policies) {
		this.limiter = limiter;
		this.defaultRpm = defaultRpm;
		this.tools = tools;
		this.policies = policies;
	}

	/** Counts one request of {@code caller}. */
	public RateLimitDecision check(CallerIdentity caller) {
		BucketLimit rpm = rpm(caller);
		return this.limiter.tryConsume(rpm.key(), rpm.limit());
	}

	/**
	 * Counts one request of {@code caller} and, when it carries a call of a governed tool, takes that
	 * call's buckets with it for the call's limit step. Close the admission once the request is done.
	 * @param toolCallName the tool a {@code tools/call} request names; {@code null} for any other request
	 */
	public Admission admit(CallerIdentity caller, String toolCallName) {
		ToolPolicy policy = (toolCallName != null && this.tools != null) ? this.policies.apply(toolCallName) : null;
		Charge charge = (policy != null) ? charge(policy, caller) : null;
		if (charge == null || charge.buckets().isEmpty()) {
			return new Admission(check(caller), null, this.limiter);
		}
		ChainedDecision decision = this.limiter.tryConsumeFirstThenAll(rpm(caller), charge.buckets());
		if (!decision.first().allowed()) {
			return new Admission(decision.first(), null, this.limiter);
		}
		return new Admission(decision.first(),
				PrepaidToolCall.hold(toolCallName, policy, caller, charge, decision.then()), this.limiter);
	}

	/** The call's buckets; {@code null} for a misconfigured tool, which the call's own limit step refuses. */
	private Charge charge(ToolPolicy policy, CallerIdentity caller) {
		try {
			return this.tools.charge(policy, caller);
		}
		catch (GovernanceConfigurationException ex) {
			return null;
		}
	}

	private BucketLimit rpm(CallerIdentity caller) {
		Integer keyRpm = caller.rateLimitRpm();
		int rpm = (keyRpm != null && keyRpm > 0) ? keyRpm : this.defaultRpm;
		return new BucketLimit("rpm:" + caller.keyId(), RateLimit.perMinute(rpm));
	}

	/**
	 * The per-caller decision on one request, holding the buckets of the tool call it carries for
	 * that call's limit step until it is closed, on the thread that admitted it.
	 */
	public static final class Admission implements AutoCloseable {

		private final RateLimitDecision decision;

		private final PrepaidToolCall prepaid;

		private final RateLimiter limiter;

		private Admission(RateLimitDecision decision, PrepaidToolCall prepaid, RateLimiter limiter) {
			this.decision = decision;
			this.prepaid = prepaid;
			this.limiter = limiter;
		}

		/** The caller's per-request decision: when refused, nothing was taken. */
		public RateLimitDecision decision() {
			return this.decision;
		}

		/** Gives back the tool call's buckets when its limit step did not claim them. */
		@Override
		public void close() {
			if (this.prepaid != null) {
				this.prepaid.release(this.limiter);
			}
		}

	}

}
