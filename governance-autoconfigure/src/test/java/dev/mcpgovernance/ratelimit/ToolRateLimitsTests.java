package dev.mcpgovernance.ratelimit;

import java.util.List;
import java.util.Map;

import dev.mcpgovernance.GovernanceConfigurationException;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ToolRateLimitsTests {

	private static final ToolPolicy CANCEL = new ToolPolicy("cancel_order", Scope.parse("orders:order:cancel"), true,
			"OrderTools#cancel", List.of(), "2/day", "3/day");

	private static final ToolPolicy READ = new ToolPolicy("get_order", Scope.parse("orders:order:read"), true,
			"OrderTools#get", List.of(), "", "");

	private final LocalRateLimiter limiter = new LocalRateLimiter(1000);

	private static CallerIdentity caller(String keyId) {
		return new CallerIdentity(keyId, "owner-" + keyId, null, ScopeSet.parse(List.of("orders:*:*")), null,
				Transport.HTTP, null);
	}

	private ToolRateLimits limits(Map<String, RateLimit> perCaller, Map<String, RateLimit> global, RateLimit budget) {
		return new ToolRateLimits(this.limiter, perCaller, global, budget, () -> List.of(CANCEL, READ));
	}

	@Test
	void annotationLimitsHoldPerCallerAndForAllCallers() {
		ToolRateLimits limits = limits(Map.of(), Map.of(), null);
		assertThat(limits.check("cancel_order", CANCEL, caller("a"))).isNull();
		assertThat(limits.check("cancel_order", CANCEL, caller("a"))).isNull();
		ToolError perCaller = limits.check("cancel_order", CANCEL, caller("a"));
		assertThat(perCaller.code()).isEqualTo(ToolErrorCode.RATE_LIMITED);
		assertThat(perCaller.details()).containsEntry("limit", "tool_per_caller").containsKey("retry_after_s");
		assertThat((Long) perCaller.details().get("retry_after_s")).isPositive();

		assertThat(limits.check("cancel_order", CANCEL, caller("b"))).isNull();
		ToolError global = limits.check("cancel_order", CANCEL, caller("b"));
		assertThat(global.details()).containsEntry("limit", "tool_global");
		assertThat(limits.check("cancel_order", CANCEL, caller("c")).details()).containsEntry("limit", "tool_global");
		assertThat(limits.check("get_order", READ, caller("c"))).isNull();
	}

	@Test
	void aCallRefusedByALaterLimitGivesBackWhatItTook() {
		ToolRateLimits limits = limits(Map.of("orders:order:cancel", RateLimit.valueOf("5/day")),
				Map.of("orders:order:cancel", RateLimit.valueOf("1/day")), null);
		assertThat(limits.check("cancel_order", CANCEL, caller("a"))).isNull();
		// Refused by the global limit four times: the caller's own bucket must not be charged for them.
		for (int i = 0; i < 4; i++) {
			assertThat(limits.check("cancel_order", CANCEL, caller("a")).details()).containsEntry("limit", "tool_global");
		}
		RateLimit perCaller = RateLimit.valueOf("5/day");
		for (int i = 0; i < 4; i++) {
			assertThat(this.limiter.tryConsume("tool:cancel_order:caller:a", perCaller).allowed()).isTrue();
		}
		assertThat(this.limiter.tryConsume("tool:cancel_order:caller:a", perCaller).allowed()).isFalse();
	}

	@Test
	void configurationOverridesTheAnnotation() {
		ToolRateLimits limits = limits(Map.of("orders:order:cancel", RateLimit.valueOf("1/day")), Map.of(), null);
		assertThat(limits.check("cancel_order", CANCEL, caller("a"))).isNull();
		assertThat(limits.check("cancel_order", CANCEL, caller("a")).details()).containsEntry("limit",
				"tool_per_caller");
	}

	@Test
	void budgetCountsEveryToolCallOfACallerGovernedOrNot() {
		ToolRateLimits limits = limits(Map.of(), Map.of(), RateLimit.valueOf("3/day"));
		assertThat(limits.check("get_order", READ, caller("a"))).isNull();
		assertThat(limits.check("cancel_order", CANCEL, caller("a"))).isNull();
		assertThat(limits.check("ungoverned_echo", null, caller("a"))).isNull();
		ToolError spent = limits.check("get_order", READ, caller("a"));
		assertThat(spent.code()).isEqualTo(ToolErrorCode.RATE_LIMITED);
		assertThat(spent.details()).containsEntry("limit", "budget");
		assertThat(limits.check("get_order", READ, caller("b"))).isNull();
	}

	@Test
	void malformedAnnotationLimitStopsStartUpNamingTheMethod() {
		ToolPolicy bad = new ToolPolicy("bad", Scope.parse("orders:order:read"), true, "BadTools#bad", List.of(), "10 per minute",
				"");
		ToolRateLimits limits = new ToolRateLimits(this.limiter, Map.of(), Map.of(), null, () -> List.of(bad));
		assertThatExceptionOfType(GovernanceConfigurationException.class).isThrownBy(limits::afterSingletonsInstantiated)
			.withMessageContaining("BadTools#bad")
			.withMessageContaining("'10 per minute'");
		assertThat(limits.check("bad", bad, caller("a")).code()).isEqualTo(ToolErrorCode.INTERNAL_ERROR);
	}

}
