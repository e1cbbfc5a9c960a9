package dev.mcpgovernance.sample;

import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The primary source: the orders table through {@link OrderRepository} (JdbcClient on H2 or
 * PostgreSQL). {@code sample.orders-db.simulate-outage=true} makes it fail as an unreachable
 * database would, to show the failover.
 */
@Component
// Spring's @Order, spelled out: the sample's own Order is the record.
@org.springframework.core.annotation.Order(1)
public class DatabaseOrderSource implements OrderSource {

	private final OrderRepository orders;

	private final JdbcClient jdbc;

	private final boolean simulateOutage;

	public DatabaseOrderSource(OrderRepository orders, JdbcClient jdbc,
			@Value("${sample.orders-db.simulate-outage:false}") boolean simulateOutage) {
		this.orders = orders;
		this.jdbc = jdbc;
		this.simulateOutage = simulateOutage;
	}

	@Override
	public String name() {
		return "orders-db";
	}

	@Override
	public Optional<Order> find(String id) {
		reachable();
		return this.orders.find(id);
	}

	@Override
	public List<Order> list(String status, int limit) {
		reachable();
		return this.orders.list(status, limit);
	}

	@Override
	public boolean isHealthy() {
		reachable();
		return this.jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
	}

	private void reachable() {
		if (this.simulateOutage) {
			throw new CannotGetJdbcConnectionException("Simulated outage of the orders database");
		}
	}

}
