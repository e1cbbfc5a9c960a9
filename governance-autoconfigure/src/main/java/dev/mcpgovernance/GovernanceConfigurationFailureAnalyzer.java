package dev.mcpgovernance;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link GovernanceConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class GovernanceConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<GovernanceConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, GovernanceConfigurationException cause) {
		return new FailureAnalysis("MCP Governance: " + cause.getMessage(), cause.getAction(), cause);
	}

}
