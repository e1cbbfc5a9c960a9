package dev.mcpgovernance.gateway;

import java.util.List;

/**
 * Where upstreams added through the admin API are kept: a table every replica reads
 * ({@link JdbcRuntimeUpstreamStore}), or this process's memory when the application has no
 * DataSource ({@link InMemoryRuntimeUpstreamStore}).
 */
public interface RuntimeUpstreamStore {

	/** Every stored upstream, oldest first. */
	List<RuntimeUpstream> findAll();

	/**
	 * Stores an upstream unless one with its domain is stored already; of two replicas adding the same
	 * domain at once, exactly one succeeds.
	 * @return {@code false} when the domain is taken
	 */
	boolean insert(RuntimeUpstream upstream);

	/** @return {@code false} when no upstream has this domain */
	boolean delete(String domain);

}
