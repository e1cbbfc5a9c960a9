package dev.mcpgovernance.sample;

import java.util.List;
import java.util.Optional;

import dev.mcpgovernance.adapter.DataAdapter;

/**
 * Where the order tools read orders: the database first ({@link DatabaseOrderSource}), the HTTP
 * replica when the database fails ({@link ReplicaOrderSource}). The starter's DataSourceManager
 * picks the source, fails over, and records which one answered.
 */
public interface OrderSource extends DataAdapter {

	String GROUP = "orders";

	@Override
	default String group() {
		return GROUP;
	}

	Optional<Order> find(String id) throws Exception;

	List<Order> list(String status, int limit) throws Exception;

}
