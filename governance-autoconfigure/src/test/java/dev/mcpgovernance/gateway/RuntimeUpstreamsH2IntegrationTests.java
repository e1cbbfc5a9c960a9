package dev.mcpgovernance.gateway;

import java.util.UUID;

/** {@link RuntimeUpstreamReplicasContract} with both replicas on one in-memory H2 database. */
class RuntimeUpstreamsH2IntegrationTests extends RuntimeUpstreamReplicasContract {

	private final String url = "jdbc:h2:mem:runtime-upstreams-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Override
	String databaseUrl() {
		return this.url;
	}

}
