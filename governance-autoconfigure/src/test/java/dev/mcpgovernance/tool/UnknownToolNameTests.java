package dev.mcpgovernance.tool;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A name the server does not have is recorded by its shape: nothing of its text survives. */
class UnknownToolNameTests {

	@Test
	void theShapeKeepsLengthAndCharacterClassOnly() {
		assertThat(UnknownToolName.of("get_ordr")).isEqualTo("unknown-tool(length=8,chars=name)");
		assertThat(UnknownToolName.of("orders.v2-list")).isEqualTo("unknown-tool(length=14,chars=name)");
		assertThat(UnknownToolName.of("jane.doe@example.com")).isEqualTo("unknown-tool(length=20,chars=ascii)");
		assertThat(UnknownToolName.of("get order for bob")).isEqualTo("unknown-tool(length=17,chars=ascii)");
		assertThat(UnknownToolName.of("zahlung_für_müller")).isEqualTo("unknown-tool(length=18,chars=other)");
		assertThat(UnknownToolName.of("tab\there")).isEqualTo("unknown-tool(length=8,chars=other)");
		assertThat(UnknownToolName.of("😀")).isEqualTo("unknown-tool(length=1,chars=other)");
		assertThat(UnknownToolName.of("")).isEqualTo("unknown-tool(length=0,chars=name)");
		assertThat(UnknownToolName.of(null)).isEqualTo("unknown-tool(missing)");
		assertThat(UnknownToolName.of(42)).isEqualTo("unknown-tool(not-a-string)");
		assertThat(UnknownToolName.of(List.of("a"))).isEqualTo("unknown-tool(not-a-string)");
	}

	@Test
	void aShapeIsNeverAToolName() {
		assertThat(UnknownToolName.isShape(UnknownToolName.of("x"))).isTrue();
		assertThat(UnknownToolName.isShape(UnknownToolName.of(null))).isTrue();
		assertThat(UnknownToolName.isShape("get_order")).isFalse();
		assertThat(UnknownToolName.isShape(null)).isFalse();
		// Parentheses are not in the MCP tool-name alphabet; a server's tool cannot look like a shape.
		assertThat(UnknownToolName.of("unknown-tool(length=1,chars=name)")).endsWith("chars=ascii)");
	}

}
