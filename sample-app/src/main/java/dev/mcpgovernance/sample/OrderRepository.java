package dev.mcpgovernance.sample;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Orders in table {@code sample_order} (the app's own Flyway migration creates it). */
@Repository
public class OrderRepository {

	private final JdbcClient jdbc;

	public OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Order> find(String id) {
		return this.jdbc.sql("SELECT * FROM sample_order WHERE id = ?").param(id).query(Order.class).optional();
	}

	public List<Order> list(String status, int limit) {
		if (status == null) {
			return this.jdbc.sql("SELECT * FROM sample_order ORDER BY created_at DESC, id LIMIT ?")
				.param(limit)
				.query(Order.class)
				.list();
		}
		return this.jdbc.sql("SELECT * FROM sample_order WHERE status = ? ORDER BY created_at DESC, id LIMIT ?")
			.params(status, limit)
			.query(Order.class)
			.list();
	}

	public Order create(String customer, String item, int quantity, BigDecimal total) {
		String id = "ord_" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc
			.sql("INSERT INTO sample_order (id, customer, item, quantity, total, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)")
			.params(id, customer, item, quantity, total, Timestamp.from(Instant.now()))
			.update();
		return find(id).orElseThrow();
	}

	/** Cancels an open order; returns whether it was open. */
	public boolean cancel(String id) {
		return this.jdbc.sql("UPDATE sample_order SET status = 'cancelled' WHERE id = ? AND status = 'open'")
			.param(id)
			.update() == 1;
	}

}
