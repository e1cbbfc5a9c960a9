package dev.mcpgovernance.testapp;

import dev.mcpgovernance.adapter.Cached;
import dev.mcpgovernance.adapter.DataSourceGroup;
import dev.mcpgovernance.adapter.DataSourceManager;
import dev.mcpgovernance.adapter.ItemSource;
import dev.mcpgovernance.adapter.ItemSource.Item;
import dev.mcpgovernance.tool.GovernedTool;
import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;

/** Tools that read through data adapters: a primary and a replica item source. */
public class CatalogTools {

	private final DataSourceGroup<ItemSource> items;

	public CatalogTools(DataSourceManager manager) {
		this.items = manager.group("items", ItemSource.class);
	}

	@McpTool(name = "get_item", description = "Get an item, cached")
	@GovernedTool(domain = "catalog", resource = "item", action = "read")
	public Item getItem(@McpToolParam(description = "id") String itemId) {
		return this.items.call(Cached.in("item", Item.class, itemId), (source) -> source.find(itemId));
	}

	@McpTool(name = "get_item_fresh", description = "Get an item from a source")
	@GovernedTool(domain = "catalog", resource = "item", action = "read")
	public Item getItemFresh(@McpToolParam(description = "id") String itemId) {
		return this.items.call((source) -> source.find(itemId));
	}

	/** Its own "all sources down" exception, with a message that must never reach a caller. */
	@McpTool(name = "get_price", description = "Get an item's price")
	@GovernedTool(domain = "catalog", resource = "price", action = "read", sourceUnavailable = PricingDown.class)
	public String getPrice(@McpToolParam(description = "id") String itemId) {
		throw new PricingDown("pricing.internal:8443 refused the connection for " + itemId);
	}

	/** The application's own exception for "no pricing source answers". */
	public static class PricingDown extends RuntimeException {

		public PricingDown(String message) {
			super(message);
		}

	}

}
