package dev.mcpgovernance.sample;

import java.math.BigDecimal;
import java.time.Instant;

/** One order of the sample's shop. */
public record Order(String id, String customer, String item, int quantity, BigDecimal total, String status,
		Instant createdAt) {
}
