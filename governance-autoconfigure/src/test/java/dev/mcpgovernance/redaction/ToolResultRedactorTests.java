package dev.mcpgovernance.redaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema.Annotations;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolResultRedactorTests {

	private final ToolResultRedactor redactor = new ToolResultRedactor(Redactor.withDefaults());

	@Test
	void cleanResultIsTheSameInstance() {
		CallToolResult clean = new CallToolResult(List.of(new TextContent("{ \"id\" : 1 }"), new TextContent("ok")),
				false, Map.of("id", 1, "items", List.of("a")), Map.of("trace", "t1"));

		assertThat(this.redactor.redact(clean, List.of())).isSameAs(clean);
	}

	@Test
	void textResourcesAndStructuredContentAreRedactedOtherPartsKept() {
		Annotations annotations = new Annotations(List.of(Role.USER), 0.5);
		ImageContent image = new ImageContent(null, "aGVsbG8=", "image/png");
		CallToolResult result = new CallToolResult(
				List.of(new TextContent(annotations, "{\"user\":{\"ACCESS_TOKEN\":\"at-1\"}}", Map.of("m", 1)), image,
						new EmbeddedResource(null, new TextResourceContents("file:///n.txt", "text/plain", "ssn 123-45-6789"))),
				false, Map.of("contact", Map.of("Email", "x@example.com"), "id", "c1"), Map.of("trace", "t1"));

		CallToolResult redacted = this.redactor.redact(result, List.of());

		TextContent text = (TextContent) redacted.content().get(0);
		assertThat(text.text()).isEqualTo("{\"user\":{\"ACCESS_TOKEN\":\"[REDACTED]\"}}");
		assertThat(text.annotations()).isEqualTo(annotations);
		assertThat(text.meta()).isEqualTo(Map.of("m", 1));
		assertThat(redacted.content().get(1)).isSameAs(image);
		assertThat(((TextResourceContents) ((EmbeddedResource) redacted.content().get(2)).resource()).text())
			.isEqualTo("ssn [REDACTED:ssn]");
		assertThat(redacted.structuredContent()).isEqualTo(Map.of("contact", Map.of("Email", "[REDACTED]"), "id", "c1"));
		assertThat(redacted.isError()).isFalse();
		assertThat(redacted.meta()).isEqualTo(Map.of("trace", "t1"));
		assertThat(((TextContent) result.content().get(0)).text()).contains("at-1");
	}

	@Test
	void toolKeysApplyToThatCallOnly() {
		CallToolResult result = new CallToolResult(List.of(new TextContent("{\"customer_note\":\"n\",\"id\":1}")), false,
				null, null);

		assertThat(((TextContent) this.redactor.redact(result, List.of("customer_note")).content().get(0)).text())
			.isEqualTo("{\"customer_note\":\"[REDACTED]\",\"id\":1}");
		assertThat(this.redactor.redact(result, List.of())).isSameAs(result);
	}

	@Test
	void cyclicStructuredContentIsRedactedNotOverflowed() {
		Map<String, Object> structured = new HashMap<>();
		structured.put("self", structured);
		structured.put("password", "p-cyclic");
		CallToolResult result = new CallToolResult(List.of(), false, structured, null);

		Object redacted = this.redactor.redact(result, List.of()).structuredContent();

		assertThat(redacted).isEqualTo(Map.of("self", "[REDACTED:cycle]", "password", "[REDACTED]"));
	}

}
