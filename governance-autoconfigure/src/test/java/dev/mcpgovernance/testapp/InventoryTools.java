package dev.mcpgovernance.testapp;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.GovernedTool;
import dev.mcpgovernance.tool.InvalidInput;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** Spring AI {@code @Tool} methods, exposed through a ToolCallbackProvider. */
public class InventoryTools {

	/** Says who called and on which thread: proves the identity reached the handler. */
	@Tool(name = "whoami", description = "Who is calling")
	@GovernedTool(domain = "inventory", resource = "item", action = "read")
	public String whoami() {
		CallerIdentity caller = GovernanceContext.caller().orElseThrow();
		return caller.ownerId() + "|" + caller.keyId() + "|" + caller.transport().wireName() + "|"
				+ Thread.currentThread().getName();
	}

	@Tool(name = "count_items", description = "Count items of a kind")
	@GovernedTool(domain = "inventory", resource = "item", action = "read")
	public int countItems(@ToolParam(description = "kind") String kind, @ToolParam(description = "at most") int max) {
		if (kind.isBlank()) {
			throw new InvalidInput("kind", "kind must not be blank.");
		}
		return Math.min(kind.length(), max);
	}

	/** Fails with a message that must never reach a caller. */
	@Tool(name = "leaky_failure", description = "Fails")
	@GovernedTool(domain = "inventory", resource = "item", action = "read")
	public String leakyFailure() {
		throw new IllegalStateException("SELECT password FROM users WHERE id = 42 failed at db-7.internal:5432");
	}

}
