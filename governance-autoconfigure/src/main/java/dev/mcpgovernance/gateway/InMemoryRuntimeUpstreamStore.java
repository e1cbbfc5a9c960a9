package dev.mcpgovernance.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstreams added through the admin API, in this process only: without a DataSource they are neither
 * shared with other replicas nor kept across a restart.
 */
class InMemoryRuntimeUpstreamStore implements RuntimeUpstreamStore {

	private final Map<String, RuntimeUpstream> upstreams = new ConcurrentHashMap<>();

	@Override
	public List<RuntimeUpstream> findAll() {
		List<RuntimeUpstream> all = new ArrayList<>(this.upstreams.values());
		all.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
		return all;
	}

	@Override
	public boolean insert(RuntimeUpstream upstream) {
		return this.upstreams.putIfAbsent(upstream.domain(), upstream) == null;
	}

	@Override
	public boolean delete(String domain) {
		return this.upstreams.remove(domain) != null;
	}

}
