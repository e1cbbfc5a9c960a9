package dev.mcpgovernance.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.ratelimit.CallerRateLimits.Admission;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's per-caller check taking the buckets of the tool call it carries: the call's limit
 * step then decides from that check without a second one, and whatever way the request ends
 * without that step, the tool's buckets are given back. Counts the store's checks with a memory
 * store that records them.
 */
class CallerRateLimitsTests {

	private static final ToolPolicy CANCEL = new ToolPolicy("cancel_order", Scope.parse("orders:order:cancel"), true,
			"OrderTools#cancel", List.of(), "", "1/day");

	private static final ToolPolicy READ = new ToolPolicy("get_order", Scope.parse("orders:order:read"), true,
			"OrderTools#get", List.of(), "", "");

	private final CountingLimiter limiter = new CountingLimiter();

	private final ToolRateLimits tools = new ToolRateLimits(this.limiter, Map.of(), Map.of(), null,
			() -> List.of(CANCEL, READ));

	private final CallerRateLimits limits = new CallerRateLimits(this.limiter, 100, this.tools,
			(name) -> switch (name) {
				case "cancel_order" -> CANCEL;
				case "get_order" -> READ;
				default -> null;
			});

	private static CallerIdentity caller(String keyId) {
		return new CallerIdentity(keyId, "owner-" + keyId, null, ScopeSet.parse(List.of("orders:*:*")), 2,
				Transport.HTTP, null);
	}

	@Test
	void theCallsLimitStepDecidesFromTheRequestsCheckWithoutASecondOne() {
		try (Admission admission = this.limits.admit(caller("a"), "cancel_order")) {
			assertThat(admission.decision().allowed()).isTrue();
			assertThat(this.limiter.checks).containsExactly("first-then rpm:a | tool:cancel_order:global");
			assertThat(this.tools.check("cancel_order", CANCEL, caller("a"))).isNull();
			// A second limit step in the same request (not the call the request carried) checks again.
			assertThat(this.tools.check("cancel_order", CANCEL, caller("a")).details()).containsEntry("limit",
					"tool_global");
		}
		assertThat(this.limiter.checks).containsExactly("first-then rpm:a | tool:cancel_order:global",
				"all tool:cancel_order:global");
		assertThat(this.limiter.refunds).isEmpty();
	}

	@Test
	void aToolRefusalTakenWithTheRequestIsTheCallsRefusal() {
		try (Admission admission = this.limits.admit(caller("a"), "cancel_order")) {
			assertThat(this.tools.check("cancel_order", CANCEL, caller("a"))).isNull();
		}
		try (Admission admission = this.limits.admit(caller("b"), "cancel_order")) {
			assertThat(admission.decision().allowed()).isTrue();
			ToolError refused = this.tools.check("cancel_order", CANCEL, caller("b"));
			assertThat(refused.details()).containsEntry("limit", "tool_global");
			assertThat((Long) refused.details().get("retry_after_s")).isPositive();
		}
		// Both requests' checks, nothing else: the refused one took nothing, so nothing is given back.
		assertThat(this.limiter.checks).hasSize(2);
		assertThat(this.limiter.refunds).isEmpty();
	}

	@Test
	void aRequestThatEndsWithoutTheCallsLimitStepGivesTheToolsBucketsBack() {
		// Refused for its scope, its session, or never dispatched: the limit step never runs.
		try (Admission admission = this.limits.admit(caller("a"), "cancel_order")) {
			assertThat(admission.decision().allowed()).isTrue();
		}
		assertThat(this.limiter.refunds).containsExactly("tool:cancel_order:global");
		// The bucket is whole again: another caller's call gets the one call a day.
		try (Admission admission = this.limits.admit(caller("b"), "cancel_order")) {
			assertThat(this.tools.check("cancel_order", CANCEL, caller("b"))).isNull();
		}
		assertThat(this.limiter.refunds).hasSize(1);
	}

	@Test
	void aLimitStepOfAnotherCallerToolOrThreadChecksOnItsOwnAndTheRequestGivesItsBucketsBack() throws Exception {
		try (Admission admission = this.limits.admit(caller("a"), "cancel_order")) {
			// A capability token in the call's _meta makes another caller; execute_tool calls another tool.
			assertThat(this.tools.check("cancel_order", CANCEL, caller("b")).details()).containsEntry("limit",
					"tool_global");
			assertThat(this.tools.check("get_order", READ, caller("a"))).isNull();
			// The MCP server may run the tool on a thread of its own.
			assertThat(CompletableFuture.supplyAsync(() -> this.tools.check("cancel_order", CANCEL, caller("a")))
				.get()).isNotNull();
		}
		assertThat(this.limiter.refunds).containsExactly("tool:cancel_order:global");
	}

	@Test
	void aCallerOverItsRpmIsRefusedAndTheToolsBucketsAreNotTouched() {
		for (int i = 0; i < 2; i++) {
			try (Admission admission = this.limits.admit(caller("a"), "get_order")) {
				assertThat(admission.decision().allowed()).isTrue();
			}
		}
		try (Admission admission = this.limits.admit(caller("a"), "cancel_order")) {
			assertThat(admission.decision().allowed()).isFalse();
			assertThat(admission.decision().retryAfterSeconds()).isBetween(1L, 30L);
		}
		assertThat(this.limiter.refunds).isEmpty();
		// The tool's one call a day is still there for another caller.
		try (Admission admission = this.limits.admit(caller("b"), "cancel_order")) {
			assertThat(this.tools.check("cancel_order", CANCEL, caller("b"))).isNull();
		}
	}

	@Test
	void aRequestThatIsNotACallOfAGovernedToolIsOneCheckOfTheRpm() {
		try (Admission admission = this.limits.admit(caller("a"), null)) {
			assertThat(admission.decision().allowed()).isTrue();
		}
		try (Admission admission = this.limits.admit(caller("a"), "not_a_tool")) {
			assertThat(admission.decision().allowed()).isTrue();
		}
		assertThat(this.limiter.checks).containsExactly("one rpm:a", "one rpm:a");
	}

	/** The memory store, recording each check and refund it is asked for. */
	private static final class CountingLimiter implements RateLimiter {

		private final LocalRateLimiter store = new LocalRateLimiter(100);

		final List<String> checks = new ArrayList<>();

		final List<String> refunds = new ArrayList<>();

		@Override
		public RateLimitDecision tryConsume(String key, RateLimit limit) {
			this.checks.add("one " + key);
			return this.store.tryConsume(key, limit);
		}

		@Override
		public void refund(String key, RateLimit limit) {
			refundAll(List.of(new BucketLimit(key, limit)));
		}

		@Override
		public MultiDecision tryConsumeAll(List<BucketLimit> buckets) {
			this.checks.add("all " + keys(buckets));
			return this.store.tryConsumeAll(buckets);
		}

		@Override
		public ChainedDecision tryConsumeFirstThenAll(BucketLimit first, List<BucketLimit> then) {
			this.checks.add("first-then " + first.key() + " | " + keys(then));
			return this.store.tryConsumeFirstThenAll(first, then);
		}

		@Override
		public void refundAll(List<BucketLimit> buckets) {
			this.refunds.add(keys(buckets));
			this.store.refundAll(buckets);
		}

		private static String keys(List<BucketLimit> buckets) {
			return String.join(",", buckets.stream().map(BucketLimit::key).toList());
		}

	}

}
