package dev.mcpgovernance.identity.apikey;

import java.util.Map;

import dev.mcpgovernance.GovernanceReportContributor;

/** The API keys' part of the governance report: where runtime keys live. */
class ApiKeyReportContributor implements GovernanceReportContributor {

	private final ApiKeyStore store;

	ApiKeyReportContributor(ApiKeyStore store) {
		this.store = store;
	}

	@Override
	public Map<String, String> stores() {
		return Map.of("api-keys", (this.store instanceof JdbcApiKeyStore) ? "jdbc"
				: (this.store instanceof InMemoryApiKeyStore) ? "memory" : this.store.getClass().getSimpleName());
	}

}
