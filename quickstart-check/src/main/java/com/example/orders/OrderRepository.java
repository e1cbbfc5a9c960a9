package com.example.orders;

import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/** The "your own code" of the README's tool class: a fixed set of orders. */
@Component
public class OrderRepository {

	private final Map<String, Order> orders = Map.of("ord_1001", new Order("ord_1001", "cus_42", "Tea"));

	public Optional<Order> find(String orderId) {
		return Optional.ofNullable(this.orders.get(orderId));
	}

}
