package dev.mcpgovernance.session;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code mcp.governance.sessions.active} (sessions open now) and
 * {@code mcp.governance.sessions.refused} (requests refused a session, tagged {@code reason}:
 * {@code mismatch}, {@code unknown}, {@code ended}, {@code caller_limit}, {@code total_limit}).
 */
class SessionMetrics implements MeterBinder {

	private final SessionRegistry sessions;

	public SessionMetrics(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("mcp.governance.sessions.active", this.sessions, SessionRegistry::active)
			.description("MCP sessions open on this server")
			.register(registry);
		for (Refusal refusal : Refusal.values()) {
			FunctionCounter.builder("mcp.governance.sessions.refused", this.sessions, (sessions) -> sessions.refusals(refusal))
				.description("MCP requests refused a session")
				.tag("reason", refusal.tagValue())
				.register(registry);
		}
	}

}
